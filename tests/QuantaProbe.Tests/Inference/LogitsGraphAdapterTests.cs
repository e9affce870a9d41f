using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Export;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using QuantaProbe.Models.Runtime;
using Xunit.Abstractions;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class LogitsGraphAdapterTests(ITestOutputHelper output)
{
    /// <summary>A full decoder ending in `logits`, as Optimum writes it, adapted and checked against the reference.</summary>
    [Fact]
    public void Adapted_neox_logits_graph_matches_reference_losses()
    {
        const string fixture = "neox-tiny-sequential-f16";
        using var temp = new TempFolder();
        string decoder = temp.File("decoder/model.onnx");
        Directory.CreateDirectory(temp.File("decoder"));
        long checkpointTotal;
        using (var checkpoint = NeoXCheckpoint.Open(FixtureReference.Folder(fixture)))
        {
            checkpointTotal = checkpoint.CountParameters().Total;
            // A decoder from another exporter holds its weights: the collected data goes inline.
            var collected = new List<CollectedInitializer>();
            var store = InitializerStore.Collect(collected.Add);
            var model = NeoXGraphBuilder.BuildLogits(checkpoint, store);
            store.Complete();
            var inline = collected.ToDictionary(i => i.Name, i => InlineTensor(i.Name, i.Data, i.Dims));
            var initializers = model.Graph.Initializer.Select(t => inline.GetValueOrDefault(t.Name, t)).ToList();
            model.Graph.Initializer.Clear();
            model.Graph.Initializer.AddRange(initializers);
            File.WriteAllBytes(decoder, model.ToByteArray());
        }

        var exported = ModelExporter.ExportOnnxDecoder(decoder, temp.File("models/m"), "m");

        using (var session = new InferenceSession(exported.LossOnnxPath))
        {
            Assert.Equal(["token_loss", "token_entropy"], session.OutputMetadata.Keys);
            Assert.Equal(["input_ids", "attention_mask"], session.InputMetadata.Keys);
        }
        Assert.NotNull(exported.NonEmbeddingParameters);
        Assert.Equal(2L * 512 * 48, exported.Parameters - exported.NonEmbeddingParameters);
        Assert.True(exported.Parameters >= checkpointTotal);

        var reference = FixtureReference.Load(fixture);
        using var runner = LossRunner.Open(exported.ModelFolder);
        var results = runner.Run(reference.Sequences.Select(s => (ReadOnlyMemory<int>)s).ToList());
        double maxError = 0;
        for (int s = 0; s < results.Length; s++)
            for (int t = 0; t < results[s].Loss.Length; t++)
                maxError = Math.Max(maxError, Math.Abs(results[s].Loss[t] - reference.TokenLosses[s][t]));
        output.WriteLine($"adapted {fixture}: max |loss - reference| = {maxError:E3}");
        Assert.True(maxError <= 2e-4, $"max abs error {maxError:E3}");
    }

    /// <summary>
    /// A toy decoder: logits[b,t] = E[input_ids[b,t]] + P[position_ids[b,t]] in float16, with a
    /// position_ids input and no attention_mask, as some exporters write them.
    /// </summary>
    [Fact]
    public void Toy_fp16_graph_with_position_ids_gets_exact_losses_and_entropies()
    {
        const int vocab = 7, maxPositions = 8;
        var rng = new Random(3);
        float[] e = Enumerable.Range(0, vocab * vocab).Select(_ => (float)(Half)(rng.NextSingle() * 4 - 2)).ToArray();
        float[] p = Enumerable.Range(0, maxPositions * vocab).Select(_ => (float)(Half)(rng.NextSingle() * 4 - 2)).ToArray();

        var graph = new OnnxGraph(new GraphProto { Name = "toy" });
        graph.Input("input_ids", DataType.Int64, "batch", "sequence");
        graph.Input("position_ids", DataType.Int64, "batch", "sequence");
        graph.Proto.Initializer.Add(InlineTensor("E", e, vocab, vocab));
        graph.Proto.Initializer.Add(InlineTensor("P", p, maxPositions, vocab));
        string sum = graph.Add(graph.Node("Gather", ["E", "input_ids"]), graph.Node("Gather", ["P", "position_ids"]));
        graph.Node("Cast", [sum], "logits", OnnxGraph.Attr("to", (long)DataType.Float16));
        graph.Output("logits", DataType.Float16, "batch", "sequence", vocab.ToString());
        var model = new ModelProto { IrVersion = 8, Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });

        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("toy.onnx"), model.ToByteArray());
        var exported = ModelExporter.ExportOnnxDecoder(temp.File("toy.onnx"), temp.File("out"), "toy", step: 5);
        Assert.Equal(5, exported.Step);

        int[][] sequences = [[1, 4, 6, 0, 2], [3, 3]];
        using var runner = LossRunner.Open(exported.ModelFolder);
        var results = runner.Run(sequences.Select(s => (ReadOnlyMemory<int>)s).ToList());
        for (int s = 0; s < sequences.Length; s++)
        {
            Assert.Equal(sequences[s].Length - 1, results[s].Loss.Length);
            for (int t = 0; t + 1 < sequences[s].Length; t++)
            {
                var logits = Enumerable.Range(0, vocab).Select(v => (double)(float)(Half)(e[sequences[s][t] * vocab + v] + p[t * vocab + v])).ToArray();
                double logZ = Math.Log(logits.Sum(Math.Exp));
                double loss = logZ - logits[sequences[s][t + 1]];
                double entropy = -logits.Sum(l => Math.Exp(l - logZ) * (l - logZ));
                Assert.Equal(loss, results[s].Loss[t], 1e-5);
                Assert.Equal(entropy, results[s].Entropy[t], 1e-5);
            }
        }
    }

    [Fact]
    public void Graph_without_logits_output_is_a_user_error()
    {
        var graph = new OnnxGraph(new GraphProto());
        graph.Input("input_ids", DataType.Int64, "batch", "sequence");
        graph.Node("Identity", ["input_ids"], "hidden");
        graph.Output("hidden", DataType.Int64, "batch", "sequence");
        var model = new ModelProto { IrVersion = 8, Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });

        var e = Assert.Throws<QuantaException>(() => LogitsGraphAdapter.AddLossHead(model, "/x/model.onnx"));
        Assert.Contains("/x/model.onnx", e.Message);
        Assert.Contains("logits", e.Message);
    }

    [Fact]
    public void Past_key_value_inputs_are_a_user_error()
    {
        var graph = new OnnxGraph(new GraphProto());
        graph.Input("input_ids", DataType.Int64, "batch", "sequence");
        graph.Input("past_key_values.0.key", DataType.Float, "batch", "heads", "past", "head");
        graph.Node("Identity", ["past_key_values.0.key"], "logits");
        graph.Output("logits", DataType.Float, "batch", "sequence", "vocab");
        var model = new ModelProto { IrVersion = 8, Graph = graph.Proto };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });

        var e = Assert.Throws<QuantaException>(() => LogitsGraphAdapter.AddLossHead(model, "/x/model.onnx"));
        Assert.Contains("past_key_values.0.key", e.Message);
    }

    private static TensorProto InlineTensor(string name, float[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
