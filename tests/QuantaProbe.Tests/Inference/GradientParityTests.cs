using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;
using static QuantaProbe.Tests.Inference.GradientMath;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Inference;

/// <summary>grad.onnx against the fixtures' independent PyTorch per-example gradients, and its sketches against C# projections.</summary>
[Trait("tier", "fast")]
public class GradientParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("neox-tiny-parallel-f32")]
    [InlineData("neox-tiny-sequential-f16")]
    [InlineData("neox-tiny-parallel-bf16")]
    [InlineData("neox-tiny-torch-f16")]
    [InlineData("neox-tiny-torch-sharded-bf16")]
    [InlineData("neox-tiny-torch-views-f32")]
    public void Exact_gradients_equal_the_reference(string fixture)
    {
        using var temp = new TempFolder();
        var reference = GradientReference.Load(fixture);
        ModelGraphExport.ExportGradients(FixtureReference.Folder(fixture), temp.Path, GradientOptions.Exact);
        using var runner = GradientRunner.Open(temp.Path, InferenceDevice.Cpu);

        Assert.Equal(GradientMode.Exact, runner.Mode);
        Assert.Equal("one_token_loss", runner.GradKind);
        Assert.Equal(reference.Parameters, runner.Layout.Select(s => s.Name));
        Assert.Equal(reference.Gradients[0].Length, runner.Dimension);

        var results = runner.Run(reference.SampleSequences(), reference.SampleTargets());

        int n = results.Length;
        double maxRelative = 0, maxNorm = 0, maxCosine = 0, maxOffDiagonal = 0, maxLoss = 0;
        for (int r = 0; r < n; r++)
        {
            maxRelative = Math.Max(maxRelative, RelativeError(results[r].Sketch, reference.Gradients[r]));
            maxNorm = Math.Max(maxNorm, Math.Abs(Norm(results[r].Sketch) / reference.Norms[r] - 1));
            maxLoss = Math.Max(maxLoss, Math.Abs(results[r].Loss - reference.Samples[r].Loss));
            for (int c = 0; c < n; c++)
            {
                double error = Math.Abs(Cosine(results[r].Sketch, results[c].Sketch) - reference.Cosine[r][c]);
                maxCosine = Math.Max(maxCosine, error);
                if (r != c)
                    maxOffDiagonal = Math.Max(maxOffDiagonal, error);
            }
        }
        output.WriteLine($"{fixture}: K={runner.Dimension}, max row relative error {maxRelative:E2}, max norm relative error {maxNorm:E2}, max |cosine − ref| {maxCosine:E2} (off the diagonal {maxOffDiagonal:E2}; the reference's diagonal is 0.9999…, not 1), max |loss − ref| {maxLoss:E2}");
        Assert.True(maxRelative <= Tolerance, $"row relative error {maxRelative:E2}");
        Assert.True(maxNorm <= Tolerance, $"norm relative error {maxNorm:E2}");
        Assert.True(maxCosine <= Tolerance, $"cosine error {maxCosine:E2}");
        Assert.True(maxLoss <= 2e-4, $"loss error {maxLoss:E2}");
    }

    [Theory]
    [InlineData("neox-tiny-parallel-f32", 16, 16)]
    [InlineData("neox-tiny-sequential-f16", 12, 5)]
    [InlineData("neox-tiny-parallel-bf16", 7, 20)]
    public void Sketch_equals_the_projected_exact_gradient(string fixture, int kIn, int kOut)
    {
        using var temp = new TempFolder();
        var reference = GradientReference.Load(fixture);
        var options = GradientOptions.Sketch(kIn, kOut, seed: 42);
        ModelGraphExport.ExportGradients(FixtureReference.Folder(fixture), temp.Sub("exact"), GradientOptions.Exact);
        ModelGraphExport.ExportGradients(FixtureReference.Folder(fixture), temp.Sub("sketch"), options);
        using var exactRunner = GradientRunner.Open(temp.Sub("exact"));
        using var sketchRunner = GradientRunner.Open(temp.Sub("sketch"));

        Assert.Equal((GradientMode.Sketch, kIn, kOut, 42L), (sketchRunner.Mode, sketchRunner.SketchInputDim, sketchRunner.SketchOutputDim, sketchRunner.SketchSeed));
        Assert.Equal(reference.Parameters, sketchRunner.Layout.Select(s => s.Name));
        Assert.Equal(sketchRunner.Layout.Sum(s => s.Length), sketchRunner.Dimension);

        var exact = exactRunner.Run(reference.SampleSequences(), reference.SampleTargets());
        var sketches = sketchRunner.Run(reference.SampleSequences(), reference.SampleTargets());

        double maxRelative = 0;
        for (int r = 0; r < exact.Length; r++)
        {
            Assert.Equal(exact[r].Loss, sketches[r].Loss, 1e-5f);
            float[] expected = ProjectRow(exact[r].Sketch, exactRunner.Layout, sketchRunner.Layout, options);
            maxRelative = Math.Max(maxRelative, RelativeError(sketches[r].Sketch, expected));
        }
        output.WriteLine($"{fixture}: K={sketchRunner.Dimension} ({kIn}×{kOut}), max row relative error vs C# projection {maxRelative:E2}");
        Assert.True(maxRelative <= Tolerance, $"sketch relative error {maxRelative:E2}");
    }

    [Fact]
    public void Same_seed_gives_identical_sketches_and_another_seed_different_ones()
    {
        const string fixture = "neox-tiny-parallel-f32";
        using var temp = new TempFolder();
        var reference = GradientReference.Load(fixture);
        float[][] Sketches(string folder, long seed)
        {
            ModelGraphExport.ExportGradients(FixtureReference.Folder(fixture), temp.Sub(folder), GradientOptions.Sketch(seed: seed));
            using var runner = GradientRunner.Open(temp.Sub(folder));
            Assert.Equal(16 * 16 * 8 + 16 * 8, runner.Dimension);  // 2 layers × 4 modules, each with a bias
            return runner.Run(reference.SampleSequences(), reference.SampleTargets()).Select(r => r.Sketch).ToArray();
        }

        var a = Sketches("a", 7);
        var b = Sketches("b", 7);
        var c = Sketches("c", 8);
        for (int r = 0; r < a.Length; r++)
        {
            Assert.Equal(a[r], b[r]);
            Assert.True(RelativeError(c[r], a[r]) > 0.5, $"row {r}: seeds 7 and 8 give nearly the same sketch");
        }
    }

    [Theory]
    [InlineData("neox-tiny-parallel-f32", GradientMode.Exact)]
    [InlineData("neox-tiny-sequential-f16", GradientMode.Sketch)]
    public void An_examples_gradient_does_not_depend_on_its_batch(string fixture, GradientMode mode)
    {
        using var temp = new TempFolder();
        var reference = GradientReference.Load(fixture);
        ModelGraphExport.ExportGradients(FixtureReference.Folder(fixture), temp.Path, new GradientOptions(mode));
        using var runner = GradientRunner.Open(temp.Path);

        int[] shortSequence = reference.Sequences[1][..9];
        var alone = runner.Run([shortSequence], [5])[0];
        var batched = runner.Run(
            [reference.Sequences[0], shortSequence, reference.Sequences[2][..30], reference.Sequences[3]],
            [47, 5, 1, 20]);

        double relative = RelativeError(batched[1].Sketch, alone.Sketch);
        output.WriteLine($"{fixture} {mode}: alone vs batched relative difference {relative:E2}, loss {alone.Loss} vs {batched[1].Loss}");
        Assert.Equal(alone.Loss, batched[1].Loss, 1e-5f);
        Assert.True(relative <= 1e-5, $"relative difference {relative:E2}");
        // Tokens after the target are not read: a different continuation changes nothing.
        int[] otherContinuation = [.. shortSequence[..6], 1, 2, 3];
        Assert.Equal(alone.Sketch, runner.Run([otherContinuation], [5])[0].Sketch);
    }

    [Fact]
    public void Target_outside_the_sequence_is_a_user_error()
    {
        using var temp = new TempFolder();
        ModelGraphExport.ExportGradients(FixtureReference.Folder("neox-tiny-parallel-bf16"), temp.Path, GradientOptions.Sketch(4, 4));
        using var runner = GradientRunner.Open(temp.Path);
        Assert.Contains("target position 0", Assert.Throws<QuantaProbe.Core.QuantaException>(() => runner.Run([new[] { 1, 2, 3 }], [0])).Message);
        Assert.Contains("target position 3", Assert.Throws<QuantaProbe.Core.QuantaException>(() => runner.Run([new[] { 1, 2, 3 }], [3])).Message);
        Assert.Contains("512", Assert.Throws<QuantaProbe.Core.QuantaException>(() => runner.Run([new[] { 1, 512, 3 }], [2])).Message);
        Assert.Empty(runner.Run([], []));
    }

    /// <summary>The sketch row the C# projections give for an exact gradient row: per weight P_outᵀ dW P_in, per bias dbᵀ P_out.</summary>
    private static float[] ProjectRow(float[] exactRow, IReadOnlyList<GradientParameterSlice> exactLayout, IReadOnlyList<GradientParameterSlice> sketchLayout, GradientOptions options)
    {
        var row = new float[sketchLayout.Sum(s => s.Length)];
        foreach (var (exactSlice, sketchSlice) in exactLayout.Zip(sketchLayout))
        {
            string module = exactSlice.Name[..exactSlice.Name.LastIndexOf('.')];
            var gradient = exactRow.AsSpan((int)exactSlice.Offset, (int)exactSlice.Length);
            int outDim = (int)exactSlice.Shape[0];
            float[] pOut = LinearGradientSink.ProjectionOf(options, module, inputSide: false, outDim);
            float[] projected = exactSlice.Shape.Length == 2
                ? Project(gradient, outDim, (int)exactSlice.Shape[1], LinearGradientSink.ProjectionOf(options, module, inputSide: true, (int)exactSlice.Shape[1]), options.KIn, pOut, options.KOut)
                : Project(gradient, pOut, options.KOut);
            Assert.Equal(projected.Length, sketchSlice.Length);
            projected.CopyTo(row, (int)sketchSlice.Offset);
        }
        return row;
    }
}
