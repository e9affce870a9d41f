using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class SpectralClusteringTests
{
    internal static (float[] Vectors, int[] Labels) Planted(int m, int n, int dims, double exponent, float noise, int seed) =>
        PlantedClusters.Generate(m, n, dims, exponent, noise, seed);

    [Theory]
    [InlineData(12, 600, 1.2, 0.6f, 7)]
    [InlineData(20, 1200, 1.0, 0.3f, 11)]
    public void Recovers_planted_zipf_clusters(int m, int n, double exponent, float noise, int seed)
    {
        var (vectors, truth) = Planted(m, n, 256, exponent, noise, seed);
        int count = truth.Length;
        var affinity = Affinity.FromCosines(CosineMatrix.Compute(vectors, count, 256));
        var labels = SpectralClustering.Cluster(affinity, count, m, seed: 1);
        double ari = AdjustedRandIndex.Of(truth, labels);
        Assert.True(ari >= 0.9, $"ARI {ari:F3}");
        Assert.Equal(labels, SpectralClustering.Cluster(affinity, count, m, seed: 1));
    }

    [Fact]
    public void Adjusted_rand_index_is_one_for_relabelled_partitions_and_near_zero_for_random_ones()
    {
        int[] a = [0, 0, 1, 1, 2, 2, 2];
        Assert.Equal(1.0, AdjustedRandIndex.Of(a, [5, 5, 9, 9, 1, 1, 1]), 12);
        var random = new Random(3);
        var x = Enumerable.Range(0, 5000).Select(_ => random.Next(10)).ToArray();
        var y = Enumerable.Range(0, 5000).Select(_ => random.Next(10)).ToArray();
        Assert.InRange(AdjustedRandIndex.Of(x, y), -0.01, 0.01);
        // A known value (sklearn.metrics.adjusted_rand_score([0,0,1,1], [0,0,1,2]) = 0.5714285714).
        Assert.Equal(0.5714285714, AdjustedRandIndex.Of([0, 0, 1, 1], [0, 0, 1, 2]), 9);
    }
}
