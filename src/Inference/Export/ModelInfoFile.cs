using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Contracts;
using System.Text.Json.Nodes;

namespace QuantaProbe.Export;

/// <summary>models/&lt;name&gt;/model.json: name, step, source, parameter counts and the config summary.</summary>
internal static class ModelInfoFile
{
    /// <param name="config">The architecture's summary of its config; null for an imported ONNX decoder.</param>
    public static void Write(ExportedModel model, string source, JsonObject? config, string? weightsDType) =>
        new ModelInfo(ModelInfo.CurrentSchemaVersion, model.Name, model.Step, Path.GetFullPath(source),
            File.Exists(source) ? Core.Family.WeightsFingerprint.OfFile(source) : Models.Checkpoints.WeightsFormats.Fingerprint(source),
            Path.GetFileName(model.LossOnnxPath), model.Parameters, model.NonEmbeddingParameters, weightsDType, config).Write(model.ModelFolder);

    /// <summary>Adds where a checkpoint named on the hub came from (reference and commit) to model.json; the cache path alone would not say.</summary>
    public static void RecordHub(string modelFolder, HubSnapshot hub) =>
        (ModelInfo.Read(modelFolder) with { Hub = new HubSource(hub.Reference.ToString(), hub.Commit) }).Write(modelFolder);
}
