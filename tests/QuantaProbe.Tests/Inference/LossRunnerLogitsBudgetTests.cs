using QuantaProbe.Export;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// A batch whose loss-head intermediates would exceed the budget runs a few whole sequences at a
/// time, at the batch's padded length: every loss and entropy is bit-identical to the whole batch's,
/// and both match PyTorch's reference.
/// </summary>
[Trait("tier", "fast")]
public class LossRunnerLogitsBudgetTests
{
    private const string Fixture = "neox-tiny-parallel-f32";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Scoring_a_sequence_or_two_per_run_changes_no_value(int sequencesPerRun)
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(Fixture), temp.Path, "m");
        var reference = FixtureReference.Load(Fixture);
        var sequences = reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToArray();
        Assert.True(sequences.Length >= 3, "the fixture needs a few sequences");
        int vocab = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureReference.Folder(Fixture), "config.json")))!["vocab_size"]!.GetValue<int>();
        int longest = sequences.Max(s => s.Length);
        // Budget for exactly sequencesPerRun sequences at the padded length (pad multiples round up, so allow for them).
        long perSequence = (long)(longest - 1) * vocab * sizeof(float);

        using var whole = LossRunner.Open(temp.Path, InferenceDevice.Cpu, 1, long.MaxValue);
        using var sliced = LossRunner.Open(temp.Path, InferenceDevice.Cpu, 1, perSequence * sequencesPerRun);
        var expected = whole.Run(sequences);
        var actual = sliced.Run(sequences);
        for (int b = 0; b < sequences.Length; b++)
        {
            Assert.Equal(expected[b].Loss, actual[b].Loss);
            Assert.Equal(expected[b].Entropy, actual[b].Entropy);
            for (int t = 0; t < actual[b].Loss.Length; t++)
                Assert.Equal(reference.TokenLosses[b][t], actual[b].Loss[t], 1e-4f);
        }
    }
}
