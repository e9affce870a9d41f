using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Inference.NeoX;
using QuantaProbe.Inference.SparseParity;

namespace QuantaProbe.Inference.Export;

/// <summary>models/&lt;name&gt;/model.json: name, step, source, parameter counts and the config summary.</summary>
internal static class ModelInfoFile
{
    public const string FileName = "model.json";

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

    private static void Write(ExportedModel model, string source, JsonObject? config, string? weightsDType)
    {
        var json = new JsonObject
        {
            ["name"] = model.Name,
            ["step"] = model.Step,
            ["source"] = Path.GetFullPath(source),
            ["weights_sha256"] = File.Exists(source) ? Core.Family.WeightsFingerprint.OfFile(source) : Checkpoints.WeightsFormats.Fingerprint(source),
            ["loss_onnx"] = Path.GetFileName(model.LossOnnxPath),
            ["parameters"] = model.Parameters,
            ["non_embedding_parameters"] = model.NonEmbeddingParameters,
            ["weights_dtype"] = weightsDType,
            ["config"] = config,
        };
        string text = json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        AtomicFile.WriteAllText(Path.Combine(model.ModelFolder, FileName), text);
    }

    /// <summary>Adds where a checkpoint named on the hub came from (reference and commit) to model.json; the cache path alone would not say.</summary>
    public static void RecordHub(string modelFolder, HubSnapshot hub)
    {
        string path = Path.Combine(modelFolder, FileName);
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        json["hub"] = new JsonObject { ["reference"] = hub.Reference.ToString(), ["commit"] = hub.Commit };
        AtomicFile.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

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
