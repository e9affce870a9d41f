using QuantaProbe.Decompose.Laws;
using QuantaProbe.Infer;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class ContextEntropyProbeTests
{
    private static readonly int[] Grid = [.. ContextLengthGrid.LogSpaced(300)];

    /// <summary>
    /// Probe-shaped losses: 600 documents of 60–400 tokens, 2,000 targets per context length drawn by the probe's own sampler,
    /// each loss H_∞ + A·n^−γ + its document's offset (σ 0.2) + noise (σ 1 nat). γ is recovered within ±0.05, with a bootstrap
    /// interval over documents that covers it, for γ ∈ {0.2, 0.35, 0.6}.
    /// </summary>
    [Theory]
    [InlineData(0.2, 1)]
    [InlineData(0.35, 2)]
    [InlineData(0.6, 3)]
    public void Gamma_is_recovered_from_targets_scored_at_each_context_length(double gamma, int seed)
    {
        var targets = Synthetic(gamma, seed, out _);
        var result = ContextEntropy.MeasureProbe(targets, null, 100, seed)!;
        Assert.Null(result.Undetermined);
        var (low, high) = BootstrapDraws.Interval(result.Draws);
        string seen = $"γ = {result.Fit.Gamma:F3} [{low:F3}, {high:F3}]";
        Assert.True(Math.Abs(result.Fit.Gamma - gamma) <= 0.05, seen);
        Assert.InRange(gamma, low, high);
        Assert.Equal((Grid[0], Grid[^1]), (result.First, result.Last));
        Assert.All(Grid, n => Assert.Equal(2000, result.Tokens[n]));
    }

    [Fact]
    public void A_flat_probe_is_reported_undetermined_and_sparse_lengths_leave_the_default_fit_range()
    {
        var random = new Random(4);
        var flat = Grid.SelectMany(n => Enumerable.Range(0, 500).Select(i => new ProbeLoss(n, i % 50, (float)(4 + EntropyDecayTests.Gaussian(random))))).ToList();
        Assert.NotNull(ContextEntropy.MeasureProbe(flat, null, 40, 1)!.Undetermined);

        var targets = Synthetic(0.35, 5, out _).ToList();
        targets.AddRange(Enumerable.Range(0, 100).Select(i => new ProbeLoss(1000, i, 9f)));
        var result = ContextEntropy.MeasureProbe(targets, null, 20, 5)!;
        Assert.Equal(Grid[^1], result.Last);
        Assert.Equal(100, result.Tokens[1000]);
        Assert.Equal(Grid[^1], ContextEntropy.MeasureProbe(targets, (1, 999), 20, 5)!.Last);
    }

    private static List<ProbeLoss> Synthetic(double gamma, int seed, out int[] lengths)
    {
        var random = new Random(seed);
        lengths = Enumerable.Range(0, 600).Select(_ => random.Next(60, 400)).ToArray();
        var offsets = lengths.Select(_ => 0.2 * EntropyDecayTests.Gaussian(random)).ToArray();
        var targets = new List<ProbeLoss>();
        foreach (int n in Grid)
            foreach (var t in ContextTargetSampler.Sample(lengths, n, 2000, seed))
                targets.Add(new ProbeLoss(n, t.Document, (float)(2.5 + 2 * Math.Pow(n, -gamma) + offsets[t.Document] + EntropyDecayTests.Gaussian(random))));
        return targets;
    }
}
