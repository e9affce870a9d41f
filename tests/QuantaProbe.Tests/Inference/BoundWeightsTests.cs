using Google.Protobuf;
using QuantaProbe.Core;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Tests.Inference;

/// <summary>Exported graphs hold structure only; sessions bind the weights from the checkpoint, which must not have moved or changed.</summary>
[Trait("tier", "fast")]
public class BoundWeightsTests
{
    private const string Fixture = "neox-tiny-parallel-f32";

    [Fact]
    public void Exported_graphs_declare_weights_without_their_bytes_and_record_the_checkpoint()
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(Fixture), temp.Path, "m");
        ModelGraphExport.ExportGradients(FixtureReference.Folder(Fixture), temp.Path, GradientOptions.Sketch());

        foreach (var file in new[] { "loss.onnx", "grad.onnx" })
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(temp.File(file)));
            var floats = model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && t.Dims.Count > 0).ToList();
            Assert.Contains(floats, t => t.Name == "gpt_neox.layers.0.attention.query_key_value.weight");
            Assert.Contains(floats, t => t.Name.StartsWith("sketch.", StringComparison.Ordinal) == (file == "grad.onnx"));
            Assert.All(floats, t =>
            {
                Assert.True(t.RawData.IsEmpty && t.FloatData.Count == 0, $"{file}: {t.Name} holds data");
                Assert.Equal(InitializerStore.PlaceholderLocation, t.ExternalData.Single(e => e.Key == "location").Value);
            });
            var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(Path.GetFullPath(FixtureReference.Folder(Fixture)), metadata[OnnxModelWriter.CheckpointKey]);
            Assert.Contains("model.safetensors\t", metadata[OnnxModelWriter.CheckpointFilesKey]);
        }
        Assert.Empty(Directory.GetFiles(temp.Path, "*.data"));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void Bound_weights_are_the_checkpoint_tensors_in_their_own_layout()
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(Fixture), temp.Path, "m");
        using var weights = BoundWeights.Load(temp.File("loss.onnx"))!;

        var collected = new List<CollectedInitializer>();
        var store = InitializerStore.Collect(collected.Add);
        new ModelGraphRecipe(new NeoXArchitecture(), ModelGraph.Loss).Build(FixtureReference.Folder(Fixture), store);
        var qkv = collected.Single(i => i.Name == "gpt_neox.layers.0.attention.query_key_value.weight");
        var source = Safetensors("model.safetensors", "gpt_neox.layers.0.attention.query_key_value.weight");
        int rows = (int)source.Shape[0], cols = (int)source.Shape[1];
        Assert.Equal([rows, cols], qkv.Dims);
        Assert.Equal(source.Data, qkv.Data);
        Assert.Equal(collected.Count, weights.Count);
    }

    [Fact]
    public void A_moved_checkpoint_is_one_line_naming_the_graph_the_folder_and_the_fix()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyFixture(temp, "ckpt");
        ModelExporter.ExportCheckpoint(checkpoint, temp.Sub("model"), "m");
        Directory.Move(checkpoint, Path.Combine(temp.Path, "elsewhere"));

        var e = Assert.Throws<QuantaException>(() => LossRunner.Open(temp.Sub("model")).Dispose());
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(Path.Combine(temp.Sub("model"), "loss.onnx"), e.Message);
        Assert.Contains(checkpoint, e.Message);
        Assert.Contains("no longer exists", e.Message);
        Assert.Contains("quanta export", e.Message);
        Assert.Contains("--force", e.Message);
    }

    [Fact]
    public void A_changed_weight_file_is_refused_by_every_runner_until_exported_again()
    {
        using var temp = new TempFolder();
        string checkpoint = CopyFixture(temp, "ckpt");
        string model = temp.Sub("model");
        ModelExporter.ExportCheckpoint(checkpoint, model, "m");
        ModelGraphExport.ExportGradients(checkpoint, model, GradientOptions.Sketch(4, 4));
        ModelGraphExport.ExportNextLogits(checkpoint, model);
        string weights = Path.Combine(checkpoint, "model.safetensors");
        File.SetLastWriteTimeUtc(weights, File.GetLastWriteTimeUtc(weights).AddMinutes(5));

        foreach (var open in new Action[] { () => LossRunner.Open(model).Dispose(), () => GradientRunner.Open(model).Dispose(), () => NextLogitsRunner.Open(model).Dispose() })
        {
            var e = Assert.Throws<QuantaException>(open);
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains($"{weights} changed", e.Message);
            Assert.Contains("--force", e.Message);
        }

        ModelExporter.ExportCheckpoint(checkpoint, model, "m");
        var reference = FixtureReference.Load(Fixture);
        using var runner = LossRunner.Open(model);
        var losses = runner.Run([reference.Sequences[0]])[0].Loss;
        for (int t = 0; t < losses.Length; t++)
            Assert.Equal(reference.TokenLosses[0][t], losses[t], 1e-4f);
    }

    [Fact]
    public void A_graph_opened_without_its_weights_fails_to_load_rather_than_running_on_placeholders()
    {
        using var temp = new TempFolder();
        ModelExporter.ExportCheckpoint(FixtureReference.Folder(Fixture), temp.Path, "m");
        Assert.ThrowsAny<Microsoft.ML.OnnxRuntime.OnnxRuntimeException>(() => new Microsoft.ML.OnnxRuntime.InferenceSession(temp.File("loss.onnx")).Dispose());
    }

    private static string CopyFixture(TempFolder temp, string name)
    {
        string folder = temp.Sub(name);
        foreach (var file in Directory.GetFiles(FixtureReference.Folder(Fixture)))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    private static (long[] Shape, float[] Data) Safetensors(string file, string tensor)
    {
        using var reader = QuantaProbe.Models.Safetensors.SafetensorsFile.Open(Path.Combine(FixtureReference.Folder(Fixture), file));
        return (reader.Get(tensor).Shape, reader.ReadFloat32(tensor));
    }
}
