using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Export;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Infer;
using QuantaProbe.Tests.Inference;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "slow")]
public class DecomposeStageTests
{
    [Fact]
    public async Task Summary_holds_the_mean_losses_fits_and_token_kinds_and_reruns_identically()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp);
        var e = await Assert.ThrowsAsync<QuantaException>(() => DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run }));
        Assert.Contains("run `quanta infer`", e.Message);

        await InferStage.RunAsync(new InferOptions { RunFolder = run });
        var result = await DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run, Resamples = 100 });
        Assert.True(result.Complete);

        using var summary = JsonDocument.Parse(File.ReadAllText(result.SummaryPath));
        var root = summary.RootElement;
        foreach (var model in root.GetProperty("models").EnumerateArray())
        {
            var losses = await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "losses", "model=" + model.GetProperty("name").GetString()!), "loss");
            Assert.Equal(losses.Average(l => (double)l), model.GetProperty("mean_loss").GetDouble(), 6);
            var ci = model.GetProperty("mean_loss_ci").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.InRange(model.GetProperty("mean_loss").GetDouble(), ci[0], ci[1]);
        }
        var fit = root.GetProperty("scaling_in_parameters").GetProperty("pure");
        Assert.True(fit.GetProperty("alpha").GetDouble() > 0, "the larger model has the lower loss");

        var rows = (await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "losses", "model=" + SmallRun.ModelNames[0]), "loss")).Length;
        var kinds = root.GetProperty("token_kinds");
        Assert.Equal(rows, kinds.GetProperty("flat").GetInt64() + kinds.GetProperty("monogenic").GetInt64() + kinds.GetProperty("polygenic").GetInt64());
        Assert.Equal(rows, (await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "decompose", "token_scaling"), "exponent")).Length);

        var first = File.ReadAllBytes(result.SummaryPath);
        await DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run, Resamples = 100 });
        Assert.Equal(first, File.ReadAllBytes(result.SummaryPath));
    }

    [Fact]
    public async Task Summary_lists_models_by_size_then_step_and_distributions_count_every_loss_once()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 20);
        foreach (var name in new[] { "pythia8k-h32-l2-step200", "pythia8k-h32-l2-step50" })
        {
            var model = ModelExporter.ExportCheckpoint(Path.Combine(SharedData.Root, "models", name), Path.Combine(run, "models", name), name);
            FamilyManifest.AddOrUpdate(Path.Combine(run, "models", FamilyManifest.FileName), new FamilyMember(model.Name, model.ModelFolder, model.Step));
        }
        await InferStage.RunAsync(new InferOptions { RunFolder = run });
        var result = await DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run, Resamples = 20 });

        using var summary = JsonDocument.Parse(File.ReadAllText(result.SummaryPath));
        var root = summary.RootElement;
        // By name the order would be step1200, step200, step50: by size then step it is the training order.
        Assert.Equal(["pythia8k-h32-l2-step50", "pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1200", "pythia8k-h64-l2"],
            root.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()!));
        Assert.Equal(["pythia8k-h32-l2-step50", "pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1200", "pythia8k-h64-l2"],
            root.GetProperty("loss_distributions").EnumerateObject().Select(p => p.Name));
        foreach (var model in root.GetProperty("loss_distributions").EnumerateObject())
        {
            var losses = await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "losses", "model=" + model.Name), "loss");
            Assert.Equal(losses.Count(l => l < 0.1f) / (double)losses.Length, model.Value.GetProperty("share_below_0.1_nats").GetDouble(), 12);
            Assert.Equal(losses.Count(l => l < MathF.Log(2)) / (double)losses.Length, model.Value.GetProperty("share_below_1_bit").GetDouble(), 12);
        }
    }
}
