using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>models/&lt;name&gt;/model.json, written by `quanta export`: the model's name, source, counts and config summary.</summary>
/// <param name="NonEmbeddingParameters">Null when an imported ONNX decoder does not reveal its embeddings.</param>
/// <param name="Config">The architecture's own summary of its config (its keys depend on model_type).</param>
/// <param name="Hub">Where a checkpoint named on the hub came from; absent for a local folder.</param>
public sealed record ModelInfo(
    int SchemaVersion,
    string Name,
    long? Step,
    string Source,
    [property: JsonPropertyName("weights_sha256")] string WeightsSha256,
    string LossOnnx,
    long Parameters,
    long? NonEmbeddingParameters,
    string? WeightsDtype,
    JsonObject? Config,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HubSource? Hub = null) : IContract
{
    public static int CurrentSchemaVersion => 1;

    public static string PathIn(string modelFolder) => Path.Combine(modelFolder, RunPaths.ModelFile);

    /// <summary>model.json of <paramref name="modelFolder"/>, or null when there is none.</summary>
    public static ModelInfo? TryRead(string modelFolder) => File.Exists(PathIn(modelFolder)) ? Read(modelFolder) : null;

    public static ModelInfo Read(string modelFolder) =>
        ContractFile.Read(PathIn(modelFolder), ContractsJson.Default.ModelInfo, "export the model again (`quanta export … --force`)");

    public void Write(string modelFolder) => ContractFile.Write(PathIn(modelFolder), this, ContractsJson.Default.ModelInfo);
}

/// <summary>A hub checkpoint's reference and the commit it resolved to.</summary>
public sealed record HubSource(string Reference, string Commit);
