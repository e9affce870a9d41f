using QuantaProbe.Infer;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class ContextTargetSamplerTests
{
    [Fact]
    public void Targets_are_seeded_distinct_and_have_n_tokens_of_their_own_document_before_them()
    {
        var random = new Random(3);
        var lengths = Enumerable.Range(0, 300).Select(_ => random.Next(0, 120)).ToArray();
        foreach (int n in new[] { 1, 5, 64, 119 })
        {
            var targets = ContextTargetSampler.Sample(lengths, n, 500, seed: 11);
            long eligible = lengths.Sum(l => (long)Math.Max(0, l - n));
            Assert.Equal(Math.Min(500, eligible), targets.Length);
            Assert.All(targets, t => Assert.InRange(t.Pos, n, lengths[t.Document] - 1));
            Assert.Equal(targets.Length, targets.Distinct().Count());
            Assert.Equal(targets.OrderBy(t => t.Document).ThenBy(t => t.Pos), targets);
            Assert.Equal(targets, ContextTargetSampler.Sample(lengths, n, 500, seed: 11));
            if (eligible > 500)
                Assert.NotEqual(targets, ContextTargetSampler.Sample(lengths, n, 500, seed: 12));
        }
    }

    /// <summary>The targets are paired across context lengths: H_n differences are measured mostly on the same tokens.</summary>
    [Fact]
    public void A_target_of_n_is_a_target_of_every_longer_n_it_is_eligible_for()
    {
        var random = new Random(5);
        var lengths = Enumerable.Range(0, 200).Select(_ => random.Next(0, 300)).ToArray();
        var ids = Enumerable.Range(0, 200).Select(d => 1000L + 7 * d).ToArray();
        int[] grid = [1, 4, 16, 64, 128];
        var chosen = grid.Select(n => ContextTargetSampler.Sample(lengths, ids, n, 1000, seed: 2).ToHashSet()).ToList();
        for (int a = 0; a < grid.Length; a++)
            for (int b = a + 1; b < grid.Length; b++)
                Assert.Subset(chosen[b], chosen[a].Where(t => t.Pos >= grid[b]).ToHashSet());
        Assert.True(chosen[1].Intersect(chosen[2]).Count() > 200, $"{chosen[1].Intersect(chosen[2]).Count()} shared targets of n = 4 and 16");
    }

    [Fact]
    public void With_fewer_eligible_tokens_than_asked_every_one_is_a_target()
    {
        int[] lengths = [3, 10, 1, 0, 7];
        var targets = ContextTargetSampler.Sample(lengths, 2, 100, seed: 0);
        ProbeTarget[] expected = [new(0, 2), .. Enumerable.Range(2, 8).Select(p => new ProbeTarget(1, p)), .. Enumerable.Range(2, 5).Select(p => new ProbeTarget(4, p))];
        Assert.Equal(expected, targets);
        Assert.Empty(ContextTargetSampler.Sample(lengths, 10, 100, seed: 0));
    }

    /// <summary>Over many seeds each of the 14 eligible tokens is drawn in 5/14 of the samples (binomial σ ≈ 0.0034 at 20,000 draws).</summary>
    [Fact]
    public void Every_eligible_token_is_equally_likely()
    {
        int[] lengths = [3, 10, 1, 7];
        var counts = new Dictionary<ProbeTarget, int>();
        const int Draws = 20_000;
        for (int seed = 0; seed < Draws; seed++)
            foreach (var t in ContextTargetSampler.Sample(lengths, 2, 5, seed))
                counts[t] = counts.GetValueOrDefault(t) + 1;
        Assert.Equal(14, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c / (double)Draws, 5 / 14.0 - 0.02, 5 / 14.0 + 0.02));
    }

    [Fact]
    public void The_default_grid_is_log_spaced_and_ends_at_the_maximum()
    {
        Assert.Equal([1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 64, 91, 128, 181, 256, 362, 512, 724, 1023], ContextLengthGrid.LogSpaced(1023));
        Assert.Equal([1, 2, 3, 4, 6, 8, 11, 16, 23, 32, 45, 63], ContextLengthGrid.LogSpaced(63));
        Assert.Equal([1], ContextLengthGrid.LogSpaced(1));
    }
}
