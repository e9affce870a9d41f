using System.Text.Json;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Tests.Decompose;

/// <summary>Agreement with scikit-learn's SpectralClustering on the same affinity (fixture made by Fixtures/sklearn/make_fixture.py).</summary>
[Trait("tier", "fast")]
public class SklearnAgreementTests
{
    [Fact]
    public void Labels_agree_with_scikit_learn_on_the_paper_affinity()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.RepoRoot, "tests", "QuantaProbe.Tests", "Fixtures", "sklearn", "spectral_fixture.json")));
        var root = doc.RootElement;
        int k = root.GetProperty("k").GetInt32(), dims = root.GetProperty("dims").GetInt32(), n = root.GetProperty("count").GetInt32();
        var points = root.GetProperty("points").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var sklearn = root.GetProperty("sklearn_labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal(n * dims, points.Length);

        var affinity = Affinity.FromCosines(CosineMatrix.Compute(points, n, dims));
        var ours = SpectralClustering.Cluster(affinity, n, k, seed: 0);
        double ari = AdjustedRandIndex.Of(sklearn, ours);
        Assert.True(ari >= 0.9, $"ARI against scikit-learn {ari:F3}");
    }
}
