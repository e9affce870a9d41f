using QuantaProbe.Export;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Inference;

/// <summary>Export + infer from each pytorch_model.bin fixture: the reference's losses, and the very losses of the same weights as safetensors.</summary>
[Trait("tier", "fast")]
public class TorchLossParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("neox-tiny-torch-f16", "neox-tiny-sequential-f16")]
    [InlineData("neox-tiny-torch-sharded-bf16", "neox-tiny-parallel-bf16")]
    [InlineData("neox-tiny-torch-views-f32", "neox-tiny-parallel-f32")]
    public void Losses_from_the_bin_equal_the_reference_and_the_safetensors_export(string torchFixture, string safetensorsFixture)
    {
        using var temp = new TempFolder();
        var reference = FixtureReference.Load(torchFixture);
        var sequences = reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToList();
        var fromBin = ModelExporter.ExportCheckpoint(FixtureReference.Folder(torchFixture), temp.Sub("bin"), torchFixture);
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(safetensorsFixture), temp.Sub("safetensors"), safetensorsFixture);

        float[][] Losses(string folder)
        {
            using var runner = LossRunner.Open(folder);
            return runner.Run(sequences).Select(r => r.Loss.ToArray()).ToArray();
        }
        var bin = Losses(temp.Sub("bin"));
        var safetensors = Losses(temp.Sub("safetensors"));

        double maxError = 0;
        for (int s = 0; s < reference.Sequences.Length; s++)
        {
            Assert.Equal(safetensors[s], bin[s]);
            for (int t = 0; t < bin[s].Length; t++)
                maxError = Math.Max(maxError, Math.Abs(bin[s][t] - reference.TokenLosses[s][t]));
        }
        output.WriteLine($"{torchFixture}: max |loss - reference| = {maxError:E3} nats; equal to the safetensors export's losses");
        Assert.True(maxError <= 1e-5, $"{torchFixture}: max abs error {maxError:E3}");
        Assert.Equal(fromBin.Parameters, QuantaProbe.Core.Contracts.ModelInfo.TryRead(fromBin.ModelFolder)!.Parameters);
    }
}
