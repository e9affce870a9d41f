using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantaProbe.Export;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Inference;

/// <summary>logits.onnx: the loss graph's body with a `logits` [B,T,V] head.</summary>
[Trait("tier", "fast")]
public class LogitsGraphTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("neox-tiny-parallel-f32")]
    [InlineData("neox-tiny-sequential-f16")]
    [InlineData("neox-tiny-parallel-bf16")]
    public void Log_softmax_of_logits_gathered_on_next_tokens_equals_token_loss(string fixture)
    {
        using var temp = new TempFolder();
        var reference = FixtureReference.Load(fixture);
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(fixture), temp.Path, fixture);
        string logitsPath = ModelGraphExport.ExportLogits(FixtureReference.Folder(fixture), temp.Path);
        Assert.Equal(temp.File("logits.onnx"), logitsPath);

        // Ragged batch: the last sequence is cut short, so right padding is exercised too.
        int[][] sequences = reference.Sequences.Select((s, i) => i == reference.Sequences.Length - 1 ? s[..(s.Length / 2)] : s).ToArray();
        using var runner = LossRunner.Open(temp.Path);
        var losses = runner.Run(sequences.Select(s => (ReadOnlyMemory<int>)s).ToList());

        int batch = sequences.Length, length = sequences.Max(s => s.Length);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < sequences[b].Length; t++)
                (ids[b * length + t], mask[b * length + t]) = (sequences[b][t], 1);

        using var session = ModelSessions.Create(logitsPath, InferenceDevice.Cpu, intraOpThreads: null);
        Assert.Equal(["input_ids", "attention_mask"], session.InputMetadata.Keys);
        Assert.Equal(["logits"], session.OutputMetadata.Keys);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, length]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch, length]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask"], [idsValue, maskValue], ["logits"]);
        long[] shape = outputs[0].GetTensorTypeAndShape().Shape;
        int vocab = (int)shape[2];
        Assert.Equal([batch, length, vocab], shape);
        Assert.Equal(TensorElementType.Float, outputs[0].GetTensorTypeAndShape().ElementDataType);
        var logits = outputs[0].GetTensorDataAsSpan<float>();

        double maxError = 0;
        for (int b = 0; b < batch; b++)
        {
            Assert.Equal(sequences[b].Length - 1, losses[b].Loss.Length);
            for (int t = 0; t + 1 < sequences[b].Length; t++)
            {
                var row = logits.Slice((b * length + t) * vocab, vocab);
                double max = double.NegativeInfinity, sum = 0;
                foreach (float l in row)
                    max = Math.Max(max, l);
                foreach (float l in row)
                    sum += Math.Exp(l - max);
                double nll = max + Math.Log(sum) - row[sequences[b][t + 1]];
                maxError = Math.Max(maxError, Math.Abs(nll - losses[b].Loss[t]));
            }
        }
        output.WriteLine($"{fixture}: max |-log_softmax(logits)[next] - token_loss| = {maxError:E3} nats");
        Assert.True(maxError <= 1e-4, $"{fixture}: max abs difference {maxError:E3} > 1e-4");
    }
}
