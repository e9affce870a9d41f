using QuantaProbe.Core;
using QuantaProbe.Sampling;

namespace QuantaProbe.Tests.Sampling;

/// <summary>Temperature and top-p on hand-made distributions.</summary>
[Trait("tier", "fast")]
public class NucleusSamplerTests
{
    private static readonly double[] Probabilities = [0.05, 0.5, 0.15, 0.3];
    private static float[] LogitsOf(double[] p) => p.Select(x => (float)Math.Log(x)).ToArray();
    private static NucleusSampler Sampler(double temperature, double topP, int vocab = 4) =>
        new(temperature, topP, Enumerable.Repeat(true, vocab).ToArray());

    [Theory]
    [InlineData(0.4, new[] { 0, 1.0, 0, 0 })]          // 0.5 alone reaches 0.4
    [InlineData(0.5, new[] { 0, 1.0, 0, 0 })]          // ... and exactly 0.5
    [InlineData(0.7, new[] { 0, 0.625, 0, 0.375 })]    // 0.5 + 0.3
    [InlineData(0.85, new[] { 0, 0.5 / 0.95, 0.15 / 0.95, 0.3 / 0.95 })]
    [InlineData(0.96, new[] { 0.05, 0.5, 0.15, 0.3 })] // everything
    [InlineData(1.0, new[] { 0.05, 0.5, 0.15, 0.3 })]
    public void Top_p_keeps_the_smallest_most_probable_set_whose_mass_reaches_p(double topP, double[] expected)
    {
        var p = Sampler(1.0, topP).Distribution(LogitsOf(Probabilities));
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], p[i], 1e-6);
    }

    [Fact]
    public void Temperature_raises_probabilities_to_the_power_one_over_t()
    {
        var p = Sampler(2.0, 1.0).Distribution(LogitsOf(Probabilities));
        double norm = Probabilities.Sum(Math.Sqrt);
        for (int i = 0; i < Probabilities.Length; i++)
            Assert.Equal(Math.Sqrt(Probabilities[i]) / norm, p[i], 1e-6);
        // Cooling before the cut: at T = 0.5 the top token alone holds 0.25/0.3625 ≈ 0.69, enough for p = 0.6.
        Assert.Equal([0, 1.0, 0, 0], Sampler(0.5, 0.6).Distribution(LogitsOf(Probabilities)));
    }

    [Fact]
    public void Temperature_near_zero_is_argmax()
    {
        var sampler = Sampler(1e-6, 1.0);
        float[] logits = [2.0f, 2.1f, -1f, 2.05f];
        var random = SplitMix64.For(7, 0);
        for (int i = 0; i < 1000; i++)
            Assert.Equal(1, sampler.Sample(logits, ref random));
    }

    [Fact]
    public void Ties_at_the_edge_of_the_nucleus_go_to_the_lower_ids()
    {
        Assert.Equal([0.5, 0.5, 0, 0], Sampler(1.0, 0.5).Distribution([1f, 1f, 1f, 1f]));
        Assert.Equal([0, 0, 1.0, 0], Sampler(1.0, 0.1).Distribution([0f, 0f, 3f, 0f]));
    }

    [Fact]
    public void Ids_that_are_not_allowed_are_never_drawn()
    {
        var sampler = new NucleusSampler(1.0, 1.0, [true, false, true, true]);
        var p = sampler.Distribution(LogitsOf(Probabilities));
        Assert.Equal(0, p[1]);
        Assert.Equal(0.3 / 0.5, p[3], 1e-6);
    }

    [Fact]
    public void Draws_follow_the_distribution()
    {
        // A wide vocabulary so the threshold search runs: 300 ids, Zipf-like logits, T = 0.8, p = 0.9.
        float[] logits = Enumerable.Range(0, 300).Select(i => (float)(-1.1 * Math.Log(i + 1) + 0.01 * (i % 7))).ToArray();
        var sampler = Sampler(0.8, 0.9, logits.Length);
        var expected = sampler.Distribution(logits);
        Assert.Equal(1.0, expected.Sum(), 1e-9);
        int kept = expected.Count(x => x > 0);
        Assert.InRange(kept, 10, 299);

        const int draws = 200_000;
        var counts = new int[logits.Length];
        var random = SplitMix64.For(1, 2);
        for (int i = 0; i < draws; i++)
            counts[sampler.Sample(logits, ref random)]++;
        for (int id = 0; id < logits.Length; id++)
        {
            double sd = Math.Sqrt(expected[id] * (1 - expected[id]) / draws);
            Assert.True(Math.Abs((double)counts[id] / draws - expected[id]) <= 5 * sd + 1e-9,
                $"id {id}: frequency {(double)counts[id] / draws:F5}, probability {expected[id]:F5}");
        }
    }

    [Theory]
    [InlineData(0.0, 0.9, "--temperature")]
    [InlineData(-1.0, 0.9, "--temperature")]
    [InlineData(double.NaN, 0.9, "--temperature")]
    [InlineData(1.0, 0.0, "--top-p")]
    [InlineData(1.0, 1.5, "--top-p")]
    [InlineData(1.0, double.NaN, "--top-p")]
    public void Bad_settings_are_one_line_errors_naming_the_option(double temperature, double topP, string option)
    {
        var e = Assert.Throws<QuantaException>(() => Sampler(temperature, topP));
        Assert.StartsWith(option + " ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
