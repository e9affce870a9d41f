using QuantaProbe.Core.Family;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;

namespace QuantaProbe.Tests.Inference;

/// <summary>A model re-exported from other weights under the same name: infer and gradients redo its parts instead of resuming over the old results.</summary>
[Trait("tier", "slow")]
public class RetrainedModelTests
{
    [Fact]
    public async Task Parts_written_with_old_weights_are_redone_after_a_re_export()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 32);
        string name = SmallRun.ModelNames[0];
        var infer = new InferOptions { RunFolder = run, Models = [name], Threads = 1 };
        var gradients = new GradientsOptions
        {
            RunFolder = run, Model = name, SelectionModel = SmallRun.ModelNames[1], Threads = 1,
            Selection = new SelectionOptions { Mode = SelectionMode.Random, Count = 24 }, Gradient = GradientOptions.Sketch(4, 4),
        };
        await InferStage.RunAsync(infer with { Models = null });
        await GradientsStage.RunAsync(gradients);
        var lossesFolder = Path.Combine(run, "losses", "model=" + name);
        var oldLosses = await ParquetTestReader.ColumnAsync<float>(lossesFolder, "loss");
        Assert.Equal(0, (await InferStage.RunAsync(infer)).PartsWritten);

        // "Retrained": the same name now exports the weights of step 200.
        var retrained = Path.Combine(SharedData.Root, "models", "pythia8k-h32-l2-step200");
        var model = ModelExporter.ExportCheckpoint(retrained, Path.Combine(run, "models", name), name);
        FamilyManifest.AddOrUpdate(Path.Combine(run, "models", FamilyManifest.FileName), new FamilyMember(name, model.ModelFolder, model.Step));
        Assert.Equal(QuantaProbe.Models.Checkpoints.WeightsFormats.Fingerprint(retrained), QuantaProbe.Core.Contracts.ModelInfo.TryRead(model.ModelFolder)!.WeightsSha256);

        var again = await InferStage.RunAsync(infer);
        Assert.Equal(0, again.PartsSkipped);
        Assert.True(again.PartsWritten >= 2);
        var newLosses = await ParquetTestReader.ColumnAsync<float>(lossesFolder, "loss");
        Assert.Equal(oldLosses.Length, newLosses.Length);
        Assert.NotEqual(oldLosses, newLosses);

        var redone = await GradientsStage.RunAsync(gradients);
        Assert.Equal(0, redone.PartsSkipped);
        Assert.Equal(1, redone.PartsWritten);
    }
}
