using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Tests.Decompose;

/// <summary>The bar: planted Zipf-sized clusters are recovered (ARI ≥ 0.9) and so is their exponent (±0.1).</summary>
public class QdgPlantedTests
{
    [Theory]
    [InlineData(20, 1500, 1.2, 0.4f, 512, 3)]
    [InlineData(30, 4000, 1.4, 0.4f, 512, 5)]
    [InlineData(16, 1200, 1.0, 0.8f, 256, 8)]
    [InlineData(25, 3000, 1.4, 0.5f, 64, 13)]
    public void Recovers_clusters_and_the_zipf_exponent(int m, int n, double exponent, float noise, int dims, int seed)
    {
        var (vectors, truth) = PlantedClusters.Generate(m, n, dims, exponent, noise, seed, minSize: 1);
        var result = QdgAnalysis.Run(vectors, truth.Length, dims, new QdgOptions { Ks = [m / 2, m, 2 * m], ReferenceK = m, Resamples = 100, Seed = 1 });
        double ari = AdjustedRandIndex.Of(truth, result.Labels[m]);
        Assert.True(ari >= 0.9, $"ARI {ari:F3}");
        Assert.InRange(result.ReferenceExponent.Value, exponent - 0.1, exponent + 0.1);
        Assert.InRange(-result.ReferenceSlope, exponent - 0.1, exponent + 0.1);
    }
}
