using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using QuantaProbe.Models.Weights;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Models.NeoX;

/// <summary>An HF GPT-NeoX checkpoint folder: its config and its weights, checked against each other.</summary>
internal sealed class NeoXCheckpoint : IModelCheckpoint
{
    public string Folder { get; }
    public NeoXConfig Config { get; }
    public ICheckpointWeights Weights { get; }

    /// <summary>Names of all parameters the model uses, each once (a tied head reuses embed_in).</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    public long? TrainingStep => Config.TrainingStep;

    private NeoXCheckpoint(string folder, NeoXConfig config, ICheckpointWeights weights, IReadOnlyList<string> parameterNames)
    {
        Folder = folder;
        Config = config;
        Weights = weights;
        ParameterNames = parameterNames;
    }

    public static NeoXCheckpoint Open(string folder)
    {
        if (!Directory.Exists(folder))
            throw new QuantaException($"{folder}: checkpoint folder not found; pass an HF folder with config.json and model.safetensors or pytorch_model.bin.");
        var config = NeoXConfig.Load(Path.Combine(folder, "config.json"));
        var weights = WeightsFormats.Open(folder);
        try
        {
            var expected = ExpectedShapes(config);
            foreach (var (name, shape) in expected)
            {
                if (!weights.Contains(name))
                    throw new QuantaException($"{folder}: weight '{name}' is missing (config.json says {Describe(config)}); the checkpoint and its config do not match.");
                var info = weights.Info(name);
                if (!info.Shape.SequenceEqual(shape))
                    throw new QuantaException($"{weights.SourceOf(name)}: '{name}' has shape {TensorInfo.FormatShape(info.Shape)}, config.json implies {TensorInfo.FormatShape(shape)}; the checkpoint and its config do not match.");
            }
            foreach (var name in weights.Names)
                if (!expected.ContainsKey(name) && !IsIgnoredBuffer(name) && !(config.TieWordEmbeddings && name == EmbedOut))
                    throw new QuantaException($"{weights.SourceOf(name)}: unexpected tensor '{name}' for {Describe(config)}; the checkpoint is not a plain GPTNeoXForCausalLM or its config.json is wrong.");
            return new NeoXCheckpoint(folder, config, weights, expected.Keys.ToList());
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>Total parameters and those outside embed_in/embed_out, counted from the weight shapes.</summary>
    public (long Total, long NonEmbedding) CountParameters()
    {
        long total = 0, nonEmbedding = 0;
        foreach (var name in ParameterNames)
        {
            long n = Weights.Info(name).ElementCount;
            total += n;
            if (!IsEmbedding(name))
                nonEmbedding += n;
        }
        return (total, nonEmbedding);
    }

    public JsonObject Summary() => Config.Summary();

    /// <summary>Every graph runs on the same <see cref="NeoXBody"/>: a head (<see cref="NeoXGraphBuilder"/>) or the backward pass (<see cref="NeoXGradientGraphBuilder"/>).</summary>
    public ModelProto Build(ModelGraph graph, InitializerStore store) =>
        graph.GradientOptions is { } options
            ? NeoXGradientGraphBuilder.Build(this, store, options)
            : NeoXGraphBuilder.Build(this, store, graph.Kind);

    private static Dictionary<string, long[]> ExpectedShapes(NeoXConfig c)
    {
        long h = c.HiddenSize, v = c.VocabSize, m = c.IntermediateSize;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { [EmbedIn] = [v, h] };
        for (int i = 0; i < c.NumLayers; i++)
        {
            shapes[Layer(i, InputNorm + ".weight")] = [h];
            shapes[Layer(i, InputNorm + ".bias")] = [h];
            shapes[Layer(i, PostAttentionNorm + ".weight")] = [h];
            shapes[Layer(i, PostAttentionNorm + ".bias")] = [h];
            shapes[Layer(i, Qkv + ".weight")] = [3 * h, h];
            shapes[Layer(i, AttentionOut + ".weight")] = [h, h];
            if (c.AttentionBias)
            {
                shapes[Layer(i, Qkv + ".bias")] = [3 * h];
                shapes[Layer(i, AttentionOut + ".bias")] = [h];
            }
            shapes[Layer(i, MlpUp + ".weight")] = [m, h];
            shapes[Layer(i, MlpUp + ".bias")] = [m];
            shapes[Layer(i, MlpDown + ".weight")] = [h, m];
            shapes[Layer(i, MlpDown + ".bias")] = [h];
        }
        shapes[FinalNormWeight] = [h];
        shapes[FinalNormBias] = [h];
        if (!c.TieWordEmbeddings)
            shapes[EmbedOut] = [v, h];
        return shapes;
    }

    private static string Describe(NeoXConfig c) =>
        $"{c.NumLayers} layers, hidden {c.HiddenSize}, vocab {c.VocabSize}, attention_bias {c.AttentionBias}, tie_word_embeddings {c.TieWordEmbeddings}";

    public void Dispose() => Weights.Dispose();
}
