using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using QuantaProbe.Models.Weights;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Models.SparseParity;

/// <summary>
/// A sparse-parity MLP checkpoint folder: config.json and model.safetensors with PyTorch nn.Linear
/// tensors fc1.weight [width, inputs], fc1.bias [width], fc2.weight [2, width], fc2.bias [2].
/// </summary>
internal sealed class MlpCheckpoint : IModelCheckpoint
{
    public const string Fc1 = "fc1", Fc2 = "fc2";
    public static readonly string[] ParameterOrder = [Fc1 + ".weight", Fc1 + ".bias", Fc2 + ".weight", Fc2 + ".bias"];

    public string Folder { get; }
    public MlpConfig Config { get; }
    public ICheckpointWeights Weights { get; }
    public IReadOnlyList<string> ParameterNames => ParameterOrder;
    public long? TrainingStep => Config.TrainingStep;

    private MlpCheckpoint(string folder, MlpConfig config, ICheckpointWeights weights)
    {
        Folder = folder;
        Config = config;
        Weights = weights;
    }

    public static MlpCheckpoint Open(string folder)
    {
        if (!Directory.Exists(folder))
            throw new QuantaException($"{folder}: checkpoint folder not found; pass a folder with config.json and model.safetensors.");
        var config = MlpConfig.Load(Path.Combine(folder, "config.json"));
        var weights = WeightsFormats.Open(folder);
        try
        {
            foreach (var (name, shape) in ExpectedShapes(config))
            {
                if (!weights.Contains(name))
                    throw new QuantaException($"{folder}: weight '{name}' is missing; the checkpoint and its config.json do not match.");
                var info = weights.Info(name);
                if (!info.Shape.SequenceEqual(shape))
                    throw new QuantaException($"{weights.SourceOf(name)}: '{name}' has shape {TensorInfo.FormatShape(info.Shape)}, config.json implies {TensorInfo.FormatShape(shape)}; the checkpoint and its config.json do not match.");
            }
            return new MlpCheckpoint(folder, config, weights);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    public static IReadOnlyDictionary<string, long[]> ExpectedShapes(MlpConfig c) => new Dictionary<string, long[]>
    {
        [Fc1 + ".weight"] = [c.HiddenSize, c.Vocabulary.InputWidth],
        [Fc1 + ".bias"] = [c.HiddenSize],
        [Fc2 + ".weight"] = [2, c.HiddenSize],
        [Fc2 + ".bias"] = [2],
    };

    /// <summary>All parameters (the paper counts (inputs+1)·width + 2(width+1)); the MLP has no embeddings, so the paper's toy scales with all of them.</summary>
    public (long Total, long NonEmbedding) CountParameters()
    {
        long all = ParameterOrder.Sum(n => Weights.Info(n).ElementCount);
        return (all, all);
    }

    public JsonObject Summary() => Config.Summary();

    /// <summary>loss.onnx and grad.onnx; the MLP predicts one label, not a next token, so it has no logits or sampling graph.</summary>
    public ModelProto Build(ModelGraph graph, InitializerStore store) => graph switch
    {
        { Kind: ModelGraphKind.Loss } => MlpLossGraphBuilder.Build(this, store),
        { GradientOptions: { } options } => MlpGradientGraphBuilder.Build(this, store, options),
        _ => throw new QuantaException($"{Folder}: a {MlpConfig.ModelType} checkpoint has no {graph.FileName} (it predicts one label, not next tokens); pass a language-model checkpoint."),
    };

    public void Dispose() => Weights.Dispose();
}
