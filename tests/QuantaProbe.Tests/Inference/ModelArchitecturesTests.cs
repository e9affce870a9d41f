using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Export;
using QuantaProbe.Models;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Checkpoints;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Models.SparseParity;
using QuantaProbe.Onnx;
using QuantaProbe.Toy.SparseParity;

namespace QuantaProbe.Tests.Inference;

/// <summary>The architecture registry: config.json's model_type picks the architecture, and every registered one exports and binds its own checkpoints.</summary>
[Trait("tier", "fast")]
public class ModelArchitecturesTests
{
    /// <summary>A checkpoint folder, one sequence, a target position in it and the loss of predicting that token by an independent computation.</summary>
    private sealed record TinyCheckpoint(string Folder, int[] Sequence, int TargetPosition, double Loss);

    /// <summary>Each registered architecture's tiny checkpoint, by model_type: a new architecture adds its own here.</summary>
    private static readonly Dictionary<string, Func<TempFolder, TinyCheckpoint>> TinyCheckpoints = new()
    {
        [NeoXConfig.ModelType] = _ =>
        {
            // PyTorch's token losses (reference.json): TokenLosses[s][t] is the loss of predicting token t+1.
            const string fixture = "neox-tiny-parallel-f32";
            var reference = FixtureReference.Load(fixture);
            return new TinyCheckpoint(FixtureReference.Folder(fixture), reference.Sequences[0], 5, reference.TokenLosses[0][4]);
        },
        [MlpConfig.ModelType] = temp =>
        {
            // Only fc2.bias is nonzero, so the logits are that bias whatever the bits: loss = logsumexp(b) − b[label].
            var task = new SparseParityTask(tasks: 3, bits: 5, k: 2, alpha: 0.4, seed: 1);
            var weights = new MlpWeights(task.InputWidth, width: 4);
            weights.B2[0] = 0.3f;
            weights.B2[1] = -1.1f;
            string folder = temp.Sub("mlp");
            MlpCheckpointWriter.Write(folder, weights, task, step: 7);
            var vocabulary = new SparseParityVocabulary(3, 5);
            var sequence = new int[vocabulary.SequenceLength];
            vocabulary.Encode(subtask: 2, [1, 0, 1, 1, 0], label: 1, sequence);
            double loss = Math.Log(Math.Exp(0.3f) + Math.Exp(-1.1f)) - (-1.1f);
            return new TinyCheckpoint(folder, sequence, vocabulary.LabelPosition, loss);
        },
    };

    [Fact]
    public void Every_registered_architecture_round_trips_its_tiny_checkpoint()
    {
        Assert.Equal(TinyCheckpoints.Keys.Order(), ModelArchitectures.All.Select(a => a.ModelType).Order());
        foreach (var architecture in ModelArchitectures.All)
        {
            using var temp = new TempFolder();
            var tiny = TinyCheckpoints[architecture.ModelType](temp);
            Assert.Same(architecture, ModelArchitectures.Of(tiny.Folder));

            string model = temp.Sub("model");
            ModelExporter.ExportCheckpoint(tiny.Folder, model, "tiny");
            var exact = GradientOptions.Exact;
            string grad = ModelExporter.ExportGradients(tiny.Folder, model, exact);
            Assert.Equal(architecture.ModelType, (string?)ModelInfo.Read(model).Config!["model_type"]);

            // Session start finds the recipe again from the kind each graph recorded.
            foreach (var (path, graph) in new[] { (Path.Combine(model, ModelExporter.LossOnnxFileName), ModelGraph.Loss), (grad, ModelGraph.Gradients(exact)) })
            {
                var metadata = OnnxMetadataReader.Read(path);
                Assert.Equal(new ModelGraphRecipe(architecture, graph), GraphRecipes.FromMetadata(metadata[OnnxModelWriter.GraphKindKey], metadata, path));
            }

            using var losses = LossRunner.Open(model);
            var row = losses.Run([tiny.Sequence]).Single();
            Assert.Equal(tiny.Loss, row.Loss[tiny.TargetPosition - row.FirstPosition], 1e-4);
            using var gradients = GradientRunner.Open(grad);
            Assert.Equal(tiny.Loss, gradients.Run([tiny.Sequence], [tiny.TargetPosition]).Single().Loss, 1e-4);
        }
    }

    [Fact]
    public void An_unknown_model_type_is_refused_in_one_line_naming_the_file_and_the_supported_types()
    {
        using var temp = new TempFolder();
        string checkpoint = temp.Sub("llama");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(FixtureReference.Folder("neox-tiny-parallel-f32"), "config.json")))!.AsObject();
        config["model_type"] = "llama";
        File.WriteAllText(Path.Combine(checkpoint, "config.json"), config.ToJsonString());

        string model = Path.Combine(temp.Path, "model");
        var e = Assert.Throws<QuantaException>(() => ModelExporter.ExportCheckpoint(checkpoint, model, "llama"));
        Assert.Equal(
            $"{Path.Combine(checkpoint, "config.json")}: model_type is 'llama', which quanta cannot read (supported: gpt_neox, sparse_parity_mlp); fix config.json.",
            e.Message);
        Assert.False(Directory.Exists(model));
    }

    [Fact]
    public void An_architecture_without_a_graph_refuses_it_in_one_line_and_writes_nothing()
    {
        using var temp = new TempFolder();
        string checkpoint = TinyCheckpoints[MlpConfig.ModelType](temp).Folder;
        string model = temp.Sub("model");
        var e = Assert.Throws<QuantaException>(() => ModelGraphExport.ExportNextLogits(checkpoint, model));
        Assert.StartsWith($"{checkpoint}: a sparse_parity_mlp checkpoint has no next.onnx", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(model));
    }
}
