using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Inference.Infer;
using QuantaProbe.Tests.Inference;

namespace QuantaProbe.Tests.Decompose;

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
            var losses = await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "losses", model.GetProperty("name").GetString()!), "loss");
            Assert.Equal(losses.Average(l => (double)l), model.GetProperty("mean_loss").GetDouble(), 6);
            var ci = model.GetProperty("mean_loss_ci").EnumerateArray().Select(x => x.GetDouble()).ToArray();
            Assert.InRange(model.GetProperty("mean_loss").GetDouble(), ci[0], ci[1]);
        }
        var fit = root.GetProperty("scaling_in_parameters").GetProperty("pure");
        Assert.True(fit.GetProperty("alpha").GetDouble() > 0, "the larger model has the lower loss");

        var rows = (await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "losses", SmallRun.ModelNames[0]), "loss")).Length;
        var kinds = root.GetProperty("token_kinds");
        Assert.Equal(rows, kinds.GetProperty("flat").GetInt64() + kinds.GetProperty("monogenic").GetInt64() + kinds.GetProperty("polygenic").GetInt64());
        Assert.Equal(rows, (await ParquetTestReader.ColumnAsync<float>(Path.Combine(run, "decompose", "token_scaling"), "exponent")).Length);

        var first = File.ReadAllBytes(result.SummaryPath);
        await DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = run, Resamples = 100 });
        Assert.Equal(first, File.ReadAllBytes(result.SummaryPath));
    }
}
