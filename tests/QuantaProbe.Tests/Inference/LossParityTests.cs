using QuantaProbe.Export;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class LossParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("neox-tiny-parallel-f32", 1e-4)]
    [InlineData("neox-tiny-sequential-f16", 2e-4)]
    [InlineData("neox-tiny-parallel-bf16", 2e-4)]
    public void Exported_loss_graph_matches_reference_losses(string fixture, double tolerance)
    {
        using var temp = new TempFolder();
        var reference = FixtureReference.Load(fixture);
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(fixture), temp.Path, fixture);

        using var runner = LossRunner.Open(temp.Path);
        var results = runner.Run(reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToList());

        double maxError = 0;
        for (int s = 0; s < reference.Sequences.Length; s++)
        {
            Assert.Equal(reference.TokenLosses[s].Length, results[s].Loss.Length);
            for (int t = 0; t < results[s].Loss.Length; t++)
                maxError = Math.Max(maxError, Math.Abs(results[s].Loss[t] - reference.TokenLosses[s][t]));
        }
        output.WriteLine($"{fixture}: max |loss - reference| = {maxError:E3} nats");
        Assert.True(maxError <= tolerance, $"{fixture}: max abs error {maxError:E3} > {tolerance:E1}");
    }
}
