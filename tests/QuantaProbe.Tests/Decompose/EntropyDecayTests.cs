using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class EntropyDecayTests
{
    internal static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>H_n = 3 + 2·n^−γ at n = 1…300 with a position's mean noisier where fewer tokens reach it (as documents end).</summary>
    [Theory]
    [InlineData(0.25)]
    [InlineData(0.4)]
    [InlineData(0.8)]
    public void A_known_decay_with_noise_gives_its_gamma(double gamma)
    {
        var random = new Random(11);
        var positions = Enumerable.Range(1, 300).ToArray();
        var tokens = positions.Select(n => 2000.0 * (1 - n / 400.0)).ToArray();
        var mean = positions.Select((n, i) => 3 + 2 * Math.Pow(n, -gamma) + 1.5 / Math.Sqrt(tokens[i]) * Gaussian(random)).ToArray();
        var fit = EntropyDecay.Fit(positions, mean, tokens);
        Assert.True(fit.Identified, fit.Undetermined);
        Assert.True(Math.Abs(fit.Gamma - gamma) <= 0.05, $"γ = {fit.Gamma}, expected {gamma}");
        Assert.Equal(3, fit.Limit, 0.15);
        Assert.InRange(gamma, fit.ProfileLow, fit.ProfileHigh);
    }

    [Fact]
    public void A_flat_entropy_leaves_gamma_undetermined()
    {
        var random = new Random(2);
        var positions = Enumerable.Range(1, 200).ToArray();
        var mean = positions.Select(_ => 3.5 + 0.05 * Gaussian(random)).ToArray();
        var fit = EntropyDecay.Fit(positions, mean, positions.Select(_ => 400.0).ToArray());
        Assert.False(fit.Identified);
        Assert.Contains("H_n", fit.Undetermined);
    }

    /// <summary>As on TinyStories paragraphs: the first positions (document openings) are easier than later ones, so H_n rises.</summary>
    [Fact]
    public void A_rising_entropy_says_there_is_no_decay()
    {
        var positions = Enumerable.Range(1, 60).ToArray();
        var mean = positions.Select(n => 3.2 + 0.15 * Math.Log(n)).ToArray();
        var fit = EntropyDecay.Fit(positions, mean, positions.Select(_ => 1000.0).ToArray());
        Assert.False(fit.Identified);
        Assert.Contains("does not fall", fit.Undetermined);
    }
}
