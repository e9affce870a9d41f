using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Tests.Decompose;

/// <summary>The bar: planted Zipf-sized clusters are recovered (ARI ≥ 0.9) and so is their exponent (±0.1).</summary>
[Trait("tier", "slow")]
public class QdgPlantedTests
{
    public static TheoryData<int, int, double, float, int, int, QdgMethod> Cases()
    {
        var data = new TheoryData<int, int, double, float, int, int, QdgMethod>();
        foreach (var method in Enum.GetValues<QdgMethod>())
        {
            data.Add(20, 1500, 1.2, 0.4f, 512, 3, method);
            data.Add(30, 4000, 1.4, 0.4f, 512, 5, method);
            data.Add(16, 1200, 1.0, 0.8f, 256, 8, method);
            data.Add(25, 3000, 1.4, 0.5f, 64, 13, method);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recovers_clusters_and_the_zipf_exponent(int m, int n, double exponent, float noise, int dims, int seed, QdgMethod method)
    {
        var (vectors, truth) = PlantedClusters.Generate(m, n, dims, exponent, noise, seed, minSize: 1);
        var result = QdgAnalysis.Run(vectors, truth.Length, dims, new QdgOptions { Ks = [m / 2, m, 2 * m], ReferenceK = m, Resamples = 100, Seed = 1, Method = method });
        double ari = AdjustedRandIndex.Of(truth, result.Labels[m]);
        Assert.True(ari >= 0.9, $"ARI {ari:F3}");
        Assert.InRange(result.ReferenceExponent.Value, exponent - 0.1, exponent + 0.1);
        Assert.InRange(-result.ReferenceSlope, exponent - 0.1, exponent + 0.1);
    }

    [Fact]
    public void Zero_gradients_are_left_out_and_labelled_minus_one()
    {
        var (vectors, truth) = PlantedClusters.Generate(6, 400, 32, 1.2, 0.3f, 2, minSize: 5);
        foreach (int i in new[] { 3, 50, 399 })
            vectors.AsSpan(i * 32, 32).Clear();
        var result = QdgAnalysis.Run(vectors, truth.Length, 32, new QdgOptions { Ks = [3, 6], ReferenceK = 6, Resamples = 20 });
        Assert.Equal(3, result.ZeroGradients);
        foreach (int i in new[] { 3, 50, 399 })
            Assert.Equal(-1, result.Labels[6][i]);
        Assert.Equal(truth.Length - 3, result.Sizes[6].Sum());
        var kept = Enumerable.Range(0, truth.Length).Where(i => result.Labels[6][i] >= 0).ToArray();
        Assert.True(AdjustedRandIndex.Of(kept.Select(i => truth[i]).ToArray(), kept.Select(i => result.Labels[6][i]).ToArray()) >= 0.9);
    }
}
