using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "slow")]
public class ContextEntropyTests
{
    private static double Gaussian(Random random) => EntropyDecayTests.Gaussian(random);

    /// <summary>
    /// 800 documents of 60–400 tokens whose per-token loss is H_n = 2.5 + 2·n^−0.35 plus a per-document offset (σ 0.2) and
    /// per-token noise (σ 1 nat), over six seeds: γ is recovered within ±0.05 every time, and its 95% bootstrap interval over
    /// documents covers the truth at least five times of six.
    /// </summary>
    [Fact]
    public void Per_token_losses_of_documents_give_gamma_with_an_interval_that_covers_it()
    {
        const double Gamma = 0.35;
        int covered = 0;
        var seen = new List<string>();
        for (int seed = 0; seed < 6; seed++)
        {
            var random = new Random(seed);
            var documents = Enumerable.Range(0, 800).Select(_ =>
            {
                int length = random.Next(60, 400);
                double offset = 0.2 * Gaussian(random);
                var losses = new float[length];
                losses[0] = float.NaN;
                for (int n = 1; n < length; n++)
                    losses[n] = (float)(2.5 + 2 * Math.Pow(n, -Gamma) + offset + Gaussian(random));
                return losses;
            }).ToList();
            var result = ContextEntropy.Measure(documents, null, 60, seed)!;
            Assert.Null(result.Undetermined);
            var (low, high) = BootstrapDraws.Interval(result.Draws);
            seen.Add($"{result.Fit.Gamma:F3} [{low:F3}, {high:F3}]");
            Assert.True(Math.Abs(result.Fit.Gamma - Gamma) <= 0.05, string.Join("; ", seen));
            Assert.InRange(result.Fit.Gamma, low, high);
            if (low <= Gamma && Gamma <= high)
                covered++;
        }
        Assert.True(covered >= 5, string.Join("; ", seen));
    }

    [Fact]
    public void Documents_without_a_decay_are_reported_undetermined()
    {
        var random = new Random(9);
        var documents = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 150).Select(n => n == 0 ? float.NaN : (float)(4 + 1.5 * Gaussian(random))).ToArray()).ToList();
        var result = ContextEntropy.Measure(documents, null, 50, 3)!;
        Assert.NotNull(result.Undetermined);
    }
}
