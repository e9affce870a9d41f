using QuantaProbe.Core;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Tests.Decompose;

/// <summary>QDG with the loss-curve term: quanta that gradients alone cannot tell apart, but that are learned at different sizes.</summary>
[Trait("tier", "fast")]
public class QdgLossCurveTests
{
    [Fact]
    public void The_curve_distance_is_the_rms_difference_of_capped_losses()
    {
        float cap = LossCurveDistance.CapNats;
        float[] curves = [0f, cap, 5f, /* sample 1 */ 0f, 0f, cap / 2];
        LossCurveDistance.NormalizeInPlace(curves);
        Assert.Equal([0f, 1f, 1f, 0f, 0f, 0.5f], curves);
        var distances = new float[4];
        LossCurveDistance.AddInPlace(distances, [0, 1], curves, 3, 2f);
        float expected = 2f * MathF.Sqrt((0 + 1 + 0.25f) / 3);
        Assert.Equal([0f, expected, expected, 0f], distances);
    }

    [Fact]
    public void Quanta_with_one_gradient_direction_but_different_learning_sizes_are_told_apart_by_their_curves()
    {
        // 4 gradient directions; each is used by two quanta, one learned at size 2 of 4, one at size 3.
        const int dims = 64;
        var (vectors, directions) = PlantedClusters.Generate(4, 1600, dims, 1.0, 0.3f, 7, minSize: 50);
        var random = new Random(3);
        int n = directions.Length;
        var truth = new int[n];
        var curves = new float[n * 4];
        for (int i = 0; i < n; i++)
        {
            int late = random.Next(2);
            truth[i] = directions[i] * 2 + late;
            for (int size = 0; size < 4; size++)
                curves[i * 4 + size] = (size < 2 + late ? 0.69f : 0.01f) + (float)(random.NextDouble() * 0.05);
        }
        LossCurveDistance.NormalizeInPlace(curves);
        var options = new QdgOptions { Ks = [4, 8], ReferenceK = 8, Resamples = 20 };

        var alone = QdgAnalysis.Run(vectors, n, dims, options);
        var withCurves = QdgAnalysis.Run(vectors, n, dims, options with { CurveWeight = 0.5 }, curves: curves, curveModels: 4);

        Assert.True(AdjustedRandIndex.Of(truth, alone.Labels[8]) < 0.7, $"gradients alone: ARI {AdjustedRandIndex.Of(truth, alone.Labels[8]):F3}");
        Assert.True(AdjustedRandIndex.Of(truth, withCurves.Labels[8]) >= 0.95, $"with curves: ARI {AdjustedRandIndex.Of(truth, withCurves.Labels[8]):F3}");
    }

    [Theory]
    [InlineData(-0.1, QdgMethod.Agglomerative, "decompose curve_weight (--curve-weight) -0.1: must be zero or a positive number (e.g. 0.15)")]
    [InlineData(double.NaN, QdgMethod.Agglomerative, "decompose curve_weight (--curve-weight) NaN: must be zero or a positive number (e.g. 0.15)")]
    [InlineData(0.15, QdgMethod.Spectral, "decompose curve_weight (--curve-weight) 0.15: works with decompose method (--method) agglomerative only; drop one of them")]
    public async Task A_bad_curve_weight_is_an_error_before_any_work(double weight, QdgMethod method, string message)
    {
        using var tmp = new TempFolder();
        var options = new DecomposeOptions { RunFolder = tmp.Path, Qdg = new QdgOptions { CurveWeight = weight, Method = method } };
        var e = await Assert.ThrowsAsync<QuantaException>(() => DecomposeStage.RunAsync(options));
        Assert.Equal(message, e.Message);
    }
}
