using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;

namespace QuantaProbe.Tests.Inference;

/// <summary>What shard 0 of a run waits for: every part, written for these very options.</summary>
[Trait("tier", "slow")]
public class GradientsCompletenessTests
{
    [Fact]
    public async Task Complete_only_for_parts_written_with_the_same_gradient_setting()
    {
        using var tmp = new TempFolder();
        var run = await SmallRun.CreateAsync(tmp, documents: 32);
        await InferStage.RunAsync(new InferOptions { RunFolder = run, Threads = 1 });
        var options = new GradientsOptions
        {
            RunFolder = run, Model = SmallRun.ModelNames[1], Threads = 1, SamplesPerPart = 8,
            Selection = new SelectionOptions { Mode = SelectionMode.Random, Count = 20 }, Gradient = GradientOptions.Sketch(4, 4, seed: 3),
        };
        Assert.False(await GradientsStage.IsCompleteAsync(options));
        await GradientsStage.RunAsync(options with { Shard = new Core.ShardSpec(0, 2) });
        Assert.False(await GradientsStage.IsCompleteAsync(options));
        await GradientsStage.RunAsync(options with { Shard = new Core.ShardSpec(1, 2) });
        Assert.True(await GradientsStage.IsCompleteAsync(options));
        Assert.False(await GradientsStage.IsCompleteAsync(options with { Gradient = GradientOptions.Sketch(4, 4, seed: 4) }));
    }
}
