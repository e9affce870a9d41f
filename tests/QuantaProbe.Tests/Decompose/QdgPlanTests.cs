using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Tests.Decompose;

/// <summary>Which similarity QDG takes for N samples, what it says where none fits, and the exact nearest neighbours it uses above the dense limit.</summary>
[Trait("tier", "fast")]
public class QdgPlanTests
{
    [Fact]
    public void Up_to_the_dense_limit_the_dense_similarity_runs_and_above_it_the_nearest_neighbours()
    {
        var options = new QdgOptions();
        Assert.Equal(QdgSimilarity.Dense, QdgPlan.For(20_000, 4352, options).Similarity);
        var sparse = QdgPlan.For(100_000, 4352, options, inPlace: true);
        Assert.Equal(QdgSimilarity.NearestNeighbours, sparse.Similarity);
        // decompose's: the sketches once (1.62 GiB), then the larger of the 10,000 subsample's dense QDG (0.70 GiB: its
        // sketches twice and the 10,000² matrix) and the graph (0.46 GiB), and 1 GiB of runtime and headroom: within the 6 GiB.
        Assert.InRange(sparse.BytesNeeded, 3.4e9, 3.7e9);
        Assert.Null(sparse.Obstacle(100_000, 8L << 30));
        // A caller whose sketches must stay as they were holds a normalised copy too.
        Assert.Equal(100_000L * 4352 * 4, QdgPlan.For(100_000, 4352, options).BytesNeeded - sparse.BytesNeeded);
        Assert.Equal(QdgSimilarity.Dense, QdgPlan.For(100_000, 4352, options with { Method = QdgMethod.Spectral }).Similarity);
    }

    [Fact]
    public void Where_nothing_fits_one_phrase_says_how_much_memory_it_needs()
    {
        var plan = QdgPlan.For(2_000_000, 4352, new QdgOptions());
        Assert.Equal("the nearest-neighbour similarity of 2,000,000 samples needs about 74.8 GiB of memory, this machine has 24.0 GiB", plan.Obstacle(2_000_000, 24L << 30));
        var spectral = QdgPlan.For(100_000, 4352, new QdgOptions { Method = QdgMethod.Spectral });
        Assert.Equal("the dense similarity holds at most 46,340 samples, not 100,000", spectral.Obstacle(100_000, 1L << 40));
    }

    [Fact]
    public void The_papers_k_list_scales_with_the_samples_both_ways_and_a_given_one_does_not()
    {
        var options = new QdgOptions();
        Assert.Same(options.Ks, options.KsFor(10_000));
        var small = options.KsFor(2_000);
        Assert.Equal(QdgOptions.PaperKs.Count, small.Count);
        Assert.Equal([2, 4, 6], small.Take(3));
        Assert.Equal(300, small[^1]);
        Assert.Equal((20, 200), QdgAnalysis.DefaultRange(small[^1]));
        var tiny = options.KsFor(100);
        Assert.Equal(2, tiny[0]);
        Assert.Equal(15, tiny[^1]);
        Assert.Equal(tiny.Count, tiny.Distinct().Count());
        var scaled = options.KsFor(100_000);
        Assert.Equal(QdgOptions.PaperKs.Count, scaled.Count);
        Assert.Equal(100, scaled[0]);
        Assert.Equal(15_000, scaled[^1]);
        Assert.Equal((1000, 10_000), QdgAnalysis.DefaultRange(scaled[^1]));
        var given = options with { Ks = [10, 20] };
        Assert.Equal([10, 20], given.KsFor(100_000));
    }

    [Fact]
    public void The_default_reference_k_keeps_the_papers_25_samples_a_cluster_and_a_given_one_wins()
    {
        var options = new QdgOptions();
        Assert.Null(options.ReferenceK);
        Assert.Equal(QdgOptions.PaperReferenceK, options.ReferenceKFor(QdgOptions.PaperSamples));
        Assert.Equal(80, options.ReferenceKFor(2_000));
        Assert.Equal(2_878, options.ReferenceKFor(71_952));
        Assert.Equal(2, options.ReferenceKFor(20));
        Assert.StartsWith("N/25", options.ReferenceKRule);
        var given = options with { ReferenceK = 100 };
        Assert.Equal(100, given.ReferenceKFor(71_952));
        Assert.Equal("given", given.ReferenceKRule);
    }

    [Fact]
    public void Nearest_neighbours_by_tiles_equal_the_top_of_the_dense_matrix()
    {
        // Three tiles across, so tiles above the diagonal serve their columns too; ± pairs test the sign invariance.
        int n = 2 * NearestNeighbours.Tile + 300, dims = 24, m = 7;
        var random = new Random(3);
        var vectors = new float[n * dims];
        for (int i = 0; i < vectors.Length; i++)
            vectors[i] = (float)(random.NextDouble() - 0.5);
        for (int j = 0; j < dims; j++)
            vectors[(n - 1) * dims + j] = -2 * vectors[5 * dims + j];
        var unit = CosineMatrix.Normalized(vectors, n, dims);
        var graph = NearestNeighbours.Compute(unit, n, dims, m);
        foreach (int i in new[] { 0, 5, 2047, 2048, 3000, n - 1 })
        {
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (J: j, C: Math.Abs(Dot(unit, i, j, dims)))).OrderByDescending(p => p.C).Take(m).ToArray();
            var row = graph.Neighbours.AsSpan(i * m, m).ToArray();
            Assert.Equal(expected.Select(p => p.J).Order(), row.Order());
            for (int e = 0; e < m; e++)
                Assert.Equal(expected[e].C, graph.Similarities[i * m + e], 1e-5);
        }
        Assert.Equal(n - 1, graph.Neighbours[5 * m]);
        Assert.Equal(5, graph.Neighbours[(n - 1) * m]);
    }

    private static double Dot(float[] unit, int a, int b, int dims)
    {
        double s = 0;
        for (int j = 0; j < dims; j++)
            s += unit[a * dims + j] * (double)unit[b * dims + j];
        return s;
    }
}
