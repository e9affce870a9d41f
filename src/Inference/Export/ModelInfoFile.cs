using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Contracts;
using System.Text.Json.Nodes;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.SparseParity;

namespace QuantaProbe.Export;

/// <summary>models/&lt;name&gt;/model.json: name, step, source, parameter counts and the config summary.</summary>
internal static class ModelInfoFile
{
    public static void Write(ExportedModel model, string source, NeoXConfig? config, string? weightsDType) =>
        Write(model, source, config is null ? null : Summary(config), weightsDType);

    public static void Write(ExportedModel model, string source, MlpConfig config, string? weightsDType) =>
        Write(model, source, new JsonObject
        {
            ["model_type"] = MlpConfig.ModelType,
            ["n_tasks"] = config.Tasks,
            ["n_bits"] = config.Bits,
            ["hidden_size"] = config.HiddenSize,
        }, weightsDType);

    private static void Write(ExportedModel model, string source, JsonObject? config, string? weightsDType) =>
        new ModelInfo(ModelInfo.CurrentSchemaVersion, model.Name, model.Step, Path.GetFullPath(source),
            File.Exists(source) ? Core.Family.WeightsFingerprint.OfFile(source) : Models.Checkpoints.WeightsFormats.Fingerprint(source),
            Path.GetFileName(model.LossOnnxPath), model.Parameters, model.NonEmbeddingParameters, weightsDType, config).Write(model.ModelFolder);

    /// <summary>Adds where a checkpoint named on the hub came from (reference and commit) to model.json; the cache path alone would not say.</summary>
    public static void RecordHub(string modelFolder, HubSnapshot hub) =>
        (ModelInfo.Read(modelFolder) with { Hub = new HubSource(hub.Reference.ToString(), hub.Commit) }).Write(modelFolder);

    private static JsonObject Summary(NeoXConfig c) => new()
    {
        ["model_type"] = "gpt_neox",
        ["hidden_size"] = c.HiddenSize,
        ["num_attention_heads"] = c.NumHeads,
        ["num_hidden_layers"] = c.NumLayers,
        ["intermediate_size"] = c.IntermediateSize,
        ["vocab_size"] = c.VocabSize,
        ["rotary_pct"] = c.RotaryPct,
        ["rotary_emb_base"] = c.RotaryBase,
        ["use_parallel_residual"] = c.UseParallelResidual,
        ["layer_norm_eps"] = c.LayerNormEps,
        ["hidden_act"] = c.HiddenAct,
        ["attention_bias"] = c.AttentionBias,
        ["tie_word_embeddings"] = c.TieWordEmbeddings,
    };
}
