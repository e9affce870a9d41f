using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Models.NeoX;

/// <summary>The GPT-NeoX hyper-parameters read from an HF config.json, validated.</summary>
internal sealed record NeoXConfig(
    int HiddenSize,
    int NumHeads,
    int NumLayers,
    int IntermediateSize,
    int VocabSize,
    double RotaryPct,
    double RotaryBase,
    bool UseParallelResidual,
    double LayerNormEps,
    GeluKind Activation,
    string HiddenAct,
    bool AttentionBias,
    bool TieWordEmbeddings,
    long? TrainingStep)
{
    public const string ModelType = "gpt_neox";

    public int HeadDim => HiddenSize / NumHeads;

    /// <summary>HF: int(head_size * rotary_pct).</summary>
    public int RotaryDims => (int)(HeadDim * RotaryPct);

    public static NeoXConfig Load(string path) => ConfigReader.ReadFile(path, root => Parse(root, path));

    /// <summary>The config as model.json records it.</summary>
    public JsonObject Summary() => new()
    {
        ["model_type"] = ModelType,
        ["hidden_size"] = HiddenSize,
        ["num_attention_heads"] = NumHeads,
        ["num_hidden_layers"] = NumLayers,
        ["intermediate_size"] = IntermediateSize,
        ["vocab_size"] = VocabSize,
        ["rotary_pct"] = RotaryPct,
        ["rotary_emb_base"] = RotaryBase,
        ["use_parallel_residual"] = UseParallelResidual,
        ["layer_norm_eps"] = LayerNormEps,
        ["hidden_act"] = HiddenAct,
        ["attention_bias"] = AttentionBias,
        ["tie_word_embeddings"] = TieWordEmbeddings,
    };

    internal static NeoXConfig Parse(JsonElement root, string path)
    {
        var r = ConfigReader.Of(root, path);
        string modelType = r.String("model_type");
        if (modelType != ModelType)
            throw r.Error($"model_type is '{modelType}', expected '{ModelType}'");
        if (root.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
            throw r.Error("rope_scaling is set; scaled rotary embeddings are not supported, use a checkpoint without it");

        int hidden = r.Int("hidden_size", 1, 1 << 20);
        int heads = r.Int("num_attention_heads", 1, 1 << 12);
        if (hidden % heads != 0)
            throw r.Error($"hidden_size {hidden} is not a multiple of num_attention_heads {heads}");
        int headDim = hidden / heads;

        double rotaryPct = r.OptionalDouble("partial_rotary_factor") ?? r.OptionalDouble("rotary_pct") ?? 0.25;
        if (!(rotaryPct > 0 && rotaryPct <= 1))
            throw r.Error($"rotary_pct {rotaryPct} must be in (0, 1]");
        int rotaryDims = (int)(headDim * rotaryPct);
        if (rotaryDims < 2 || rotaryDims % 2 != 0)
            throw r.Error($"rotary dimensions int({headDim}*{rotaryPct}) = {rotaryDims} must be even and at least 2");

        double rotaryBase = r.OptionalDouble("rope_theta") ?? r.OptionalDouble("rotary_emb_base") ?? 10000;
        if (!(rotaryBase > 1) || double.IsInfinity(rotaryBase))
            throw r.Error($"rotary base {rotaryBase} must be a finite number above 1");

        double eps = r.OptionalDouble("layer_norm_eps") ?? 1e-5;
        if (!(eps > 0 && eps < 1))
            throw r.Error($"layer_norm_eps {eps} must be in (0, 1)");

        string act = r.OptionalString("hidden_act") ?? "gelu";
        GeluKind kind = act switch
        {
            "gelu" => GeluKind.Exact,
            "gelu_new" or "gelu_fast" or "gelu_pytorch_tanh" => GeluKind.Tanh,
            _ => throw r.Error($"hidden_act '{act}' is not supported (gelu, gelu_new, gelu_fast, gelu_pytorch_tanh)"),
        };

        if (r.OptionalLong("max_position_embeddings") is { } positions && positions < 1)
            throw r.Error($"max_position_embeddings {positions} must be at least 1");
        long? step = r.OptionalLong("training_step");
        return new NeoXConfig(
            HiddenSize: hidden,
            NumHeads: heads,
            NumLayers: r.Int("num_hidden_layers", 1, 10_000),
            IntermediateSize: r.Int("intermediate_size", 1, 1 << 22),
            VocabSize: r.Int("vocab_size", 2, 1 << 24),
            RotaryPct: rotaryPct,
            RotaryBase: rotaryBase,
            UseParallelResidual: r.OptionalBool("use_parallel_residual") ?? true,
            LayerNormEps: eps,
            Activation: kind,
            HiddenAct: act,
            AttentionBias: r.OptionalBool("attention_bias") ?? true,
            TieWordEmbeddings: r.OptionalBool("tie_word_embeddings") ?? false,
            TrainingStep: step is < 0 ? throw r.Error($"training_step {step} is negative") : step);
    }
}
