using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.PowerLaw;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Synthetic;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Decompose;

/// <summary>
/// Issue 20: QDG above the dense limit (each sample's nearest neighbours, sparse average linkage) recovers
/// planted Zipf clusters and agrees with the exact dense method where both run.
/// </summary>
[Trait("tier", "slow")]
public class QdgScalableTests(ITestOutputHelper output)
{
    [Fact]
    public void At_10000_samples_the_sparse_method_agrees_with_the_dense_one()
    {
        var (vectors, truth) = PlantedClusters.Generate(200, 10_000, 64, 1.2, 0.5f, seed: 4);
        int n = truth.Length;
        var options = new QdgOptions { Ks = [50, 100, 200, 300, 400], ReferenceK = 200, Resamples = 20, Seed = 1 };
        var dense = QdgAnalysis.Run(vectors, n, 64, options);
        var sparse = QdgAnalysis.Run(vectors, n, 64, options with { DenseLimit = 2 });
        Assert.Equal(QdgSimilarity.Dense, dense.Similarity);
        Assert.Equal(QdgSimilarity.NearestNeighbours, sparse.Similarity);
        Assert.Equal(50, sparse.Neighbours);
        var agreements = options.Ks.ToDictionary(k => k, k => AdjustedRandIndex.Of(dense.Labels[k], sparse.Labels[k]));
        foreach (int k in options.Ks)
            output.WriteLine($"k = {k}: ARI sparse vs dense {agreements[k]:F4}; vs planted: sparse {AdjustedRandIndex.Of(truth, sparse.Labels[k]):F4}, dense {AdjustedRandIndex.Of(truth, dense.Labels[k]):F4}");
        foreach (int k in options.Ks)
            Assert.True(agreements[k] >= 0.95, $"k = {k}: ARI sparse vs dense {agreements[k]:F3}");
    }

    /// <summary>The size: 100,000 samples in 2,000 Zipf-sized clusters (exponent 1.2, the smallest 3 points).</summary>
    [Fact]
    public void At_100000_samples_planted_zipf_clusters_and_their_exponent_are_recovered()
    {
        const int Clusters = 2000, Dims = 64;
        var (vectors, truth) = PlantedClusters.Generate(Clusters, 100_000, Dims, 1.2, 0.5f, seed: 7);
        int n = truth.Length;
        var result = QdgAnalysis.Run(vectors, n, Dims, new QdgOptions { Ks = [1000, Clusters, 4000], ReferenceK = Clusters, Resamples = 20, Seed = 1 });
        double ari = AdjustedRandIndex.Of(truth, result.Labels[Clusters]);
        double planted = TruncatedZipfMle.Exponent(RankFrequency.Sizes(truth));
        output.WriteLine($"N = {n:N0}: ARI {ari:F4}; exponent {result.ReferenceExponent.Value:F4} [{result.ReferenceExponent.Low:F4}, {result.ReferenceExponent.High:F4}] (planted sizes' MLE {planted:F4}); "
            + $"similarity {result.SimilaritySeconds:F0} s, clustering {result.ClusteringSeconds:F0} s, {result.GraphComponents} parts");
        Assert.Equal(QdgSimilarity.NearestNeighbours, result.Similarity);
        Assert.True(ari >= 0.9, $"ARI {ari:F3}");
        Assert.InRange(result.ReferenceExponent.Value, 1.2 - 0.05, 1.2 + 0.05);
    }
}
