using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Export;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Inference;

/// <summary>next.onnx: the loss graph's body with the sampling head, next_logits [B,V] at each row's last real position.</summary>
[Trait("tier", "fast")]
public class NextLogitsGraphTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("neox-tiny-parallel-f32", 1e-4)]
    [InlineData("neox-tiny-sequential-f16", 2e-4)]
    [InlineData("neox-tiny-parallel-bf16", 2e-4)]
    public void Log_softmax_of_next_logits_at_the_target_equals_token_loss_and_reference(string fixture, double tolerance)
    {
        using var temp = new TempFolder();
        var reference = FixtureReference.Load(fixture);
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(fixture), temp.Path, fixture);
        Assert.Equal(temp.File("next.onnx"), ModelGraphExport.ExportNextLogits(FixtureReference.Folder(fixture), temp.Path));

        using var lossRunner = LossRunner.Open(temp.Path);
        var losses = lossRunner.Run(reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToList());
        using var runner = NextLogitsRunner.Open(temp.Path);
        int vocab = runner.VocabSize;

        // Every prefix of every sequence; one batch per prefix length t mixes all lengths ≤ t+1 (ragged right padding).
        double maxVsGraph = 0, maxVsReference = 0;
        int length = reference.Sequences.Min(s => s.Length);
        for (int t = 0; t + 1 < length; t++)
        {
            var prefixes = reference.Sequences.Select((s, i) => (ReadOnlyMemory<int>)s.AsMemory(0, Math.Max(1, t + 1 - i))).ToList();
            var logits = new float[prefixes.Count * vocab];
            runner.Run(prefixes, logits);
            for (int b = 0; b < prefixes.Count; b++)
            {
                int p = prefixes[b].Length - 1;
                double nll = NegativeLogSoftmax(logits.AsSpan(b * vocab, vocab), reference.Sequences[b][p + 1]);
                maxVsGraph = Math.Max(maxVsGraph, Math.Abs(nll - losses[b].Loss[p]));
                maxVsReference = Math.Max(maxVsReference, Math.Abs(nll - reference.TokenLosses[b][p]));
            }
        }
        output.WriteLine($"{fixture}: max |-log_softmax(next_logits)[target] - token_loss| = {maxVsGraph:E3}, vs reference {maxVsReference:E3} nats");
        Assert.True(maxVsGraph <= 1e-4, $"{fixture}: vs loss.onnx {maxVsGraph:E3} > 1e-4");
        Assert.True(maxVsReference <= tolerance, $"{fixture}: vs reference {maxVsReference:E3} > {tolerance:E1}");
    }

    [Fact]
    public void Next_logits_equal_the_reference_logits_of_the_first_positions()
    {
        const string fixture = "neox-tiny-parallel-f32";
        using var temp = new TempFolder();
        var sequence = FixtureReference.Load(fixture).Sequences[0];
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureReference.Folder(fixture), "reference.json")));
        var expected = doc.RootElement.GetProperty("logits_seq0_first4").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(e => e.GetSingle()).ToArray()).ToArray();

        using var runner = NextLogitsRunner.Open(ModelGraphExport.ExportNextLogits(FixtureReference.Folder(fixture), temp.Path));
        var prefixes = Enumerable.Range(1, expected.Length).Select(n => (ReadOnlyMemory<int>)sequence.AsMemory(0, n)).ToList();
        var logits = new float[prefixes.Count * runner.VocabSize];
        runner.Run(prefixes, logits);

        double maxError = 0;
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.Equal(runner.VocabSize, expected[t].Length);
            for (int v = 0; v < runner.VocabSize; v++)
                maxError = Math.Max(maxError, Math.Abs(logits[t * runner.VocabSize + v] - expected[t][v]));
        }
        output.WriteLine($"max |next_logits - reference logits| = {maxError:E3}");
        Assert.True(maxError <= 1e-4, $"max abs error {maxError:E3} > 1e-4");
    }

    [Fact]
    public void Next_graph_has_the_sampling_contract_and_no_sequence_sized_output()
    {
        const string fixture = "neox-tiny-parallel-f32";
        using var temp = new TempFolder();
        string path = ModelGraphExport.ExportNextLogits(FixtureReference.Folder(fixture), temp.Path);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
        using var session = ModelSessions.Create(path, InferenceDevice.Cpu, intraOpThreads: null);
        Assert.Equal(["input_ids", "attention_mask"], session.InputMetadata.Keys);
        Assert.Equal(["next_logits"], session.OutputMetadata.Keys);
        Assert.Equal([-1, 512], session.OutputMetadata["next_logits"].Dimensions);
    }

    private static double NegativeLogSoftmax(ReadOnlySpan<float> row, int target)
    {
        double max = double.NegativeInfinity, sum = 0;
        foreach (float l in row)
            max = Math.Max(max, l);
        foreach (float l in row)
            sum += Math.Exp(l - max);
        return max + Math.Log(sum) - row[target];
    }
}
