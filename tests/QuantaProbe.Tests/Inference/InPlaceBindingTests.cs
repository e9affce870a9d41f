using QuantaProbe.Export;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Models.Weights;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// Weights bound in place (their stored F32/F16/BF16 bytes, cast inside the graph) against the reference and
/// against the same checkpoint's converted float32 weights: the losses, entropies and gradients agree, and no
/// float32 copy is made of any tensor stored contiguously.
/// </summary>
[Trait("tier", "fast")]
public class InPlaceBindingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("neox-tiny-parallel-f32", 0L)]
    [InlineData("neox-tiny-sequential-f16", 0L)]
    [InlineData("neox-tiny-torch-f16", 0L)]
    [InlineData("neox-tiny-torch-sharded-bf16", 0L)]
    [InlineData("neox-tiny-torch-views-f32", -1L)]
    public void Weights_bound_in_place_give_the_reference_losses_and_the_converted_weights_gradients(string fixture, long float32BytesWhenViews)
    {
        using var temp = new TempFolder();
        var reference = FixtureReference.Load(fixture);
        var sequences = reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToList();
        string folder = FixtureReference.Folder(fixture);

        (float[][] Losses, float[][] Entropies, GradientResult[] Gradients, long Float32, long InPlace) Run(string name, bool inPlace)
        {
            WeightBinding.ThresholdForTests.Value = inPlace ? 0 : long.MaxValue;
            string model = temp.Sub(name);
            ModelExporter.ExportCheckpoint(folder, model, name);
            ModelGraphExport.ExportGradients(folder, model, GradientOptions.Exact);
            using var weights = BoundWeights.Load(Path.Combine(model, "loss.onnx"))!;
            using var losses = LossRunner.Open(model);
            var results = losses.Run(sequences);
            using var gradients = GradientRunner.Open(model);
            var g = gradients.Run([sequences[1]], [sequences[1].Length - 1]);
            return (results.Select(r => r.Loss.ToArray()).ToArray(), results.Select(r => r.Entropy.ToArray()).ToArray(), g, weights.Float32Bytes, weights.InPlaceBytes);
        }

        var converted = Run("converted", inPlace: false);
        var inPlace = Run("in-place", inPlace: true);
        Assert.Equal(0, converted.InPlace);
        Assert.True(inPlace.InPlace > 0);
        // What stays float32 in memory: the rotary table and, from the views fixture, its column-major views.
        if (float32BytesWhenViews == 0)
            Assert.InRange(inPlace.Float32, 0, converted.Float32 / 50);
        else
            Assert.InRange(inPlace.Float32, converted.Float32 / 50, converted.Float32 - 1);

        double lossError = 0, entropyDifference = 0;
        for (int s = 0; s < sequences.Count; s++)
            for (int t = 0; t < inPlace.Losses[s].Length; t++)
            {
                lossError = Math.Max(lossError, Math.Abs(inPlace.Losses[s][t] - reference.TokenLosses[s][t]));
                entropyDifference = Math.Max(entropyDifference, Math.Abs(inPlace.Entropies[s][t] - converted.Entropies[s][t]));
            }
        var a = inPlace.Gradients[0].Sketch;
        var b = converted.Gradients[0].Sketch;
        double cosine = GradientMath.Cosine(a, b);
        output.WriteLine($"{fixture}: in place {inPlace.InPlace:N0} B, converted {inPlace.Float32:N0} B; max |loss - reference| {lossError:E2}, max |entropy - converted| {entropyDifference:E2}, gradient cosine to converted {cosine:F9}");
        Assert.True(lossError <= 1e-5, $"max abs loss error {lossError:E3}");
        Assert.True(entropyDifference <= 1e-5, $"max entropy difference {entropyDifference:E3}");
        Assert.True(cosine >= 1 - 1e-6, $"gradient cosine {cosine}");
    }
}
