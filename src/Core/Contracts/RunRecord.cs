using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// RUN/run.json (a shard's: run.shard-i-of-n.json), written by `quanta run` after every stage: the
/// config, the tool, the device, each invocation's stage timings and the input hashes.
/// </summary>
/// <param name="Config">The run config's settings as read (free-form: the config's own schema).</param>
/// <param name="Inputs">The input files' hashes; absent until they are hashed.</param>
public sealed record RunRecord(
    int SchemaVersion,
    ToolRecord Tool,
    string ConfigPath,
    JsonObject Config,
    DeviceRecord Device,
    string Shard,
    bool Complete,
    IReadOnlyList<InvocationRecord> Invocations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Inputs = null) : IContract
{
    public static int CurrentSchemaVersion => 1;

    /// <summary>run.json keeps non-ASCII characters (paths, summaries) as they are.</summary>
    internal static readonly ContractsJson Json = new(new System.Text.Json.JsonSerializerOptions(ContractsJson.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static RunRecord Read(string path) =>
        ContractFile.Read(path, Json.RunRecord, "delete it to start a fresh record of the run");

    public void Write(string path) => ContractFile.Write(path, this, Json.RunRecord);
}

public sealed record ToolRecord(string Name, string Version, string Dotnet, string Onnxruntime, string Os, string Architecture, int Processors);

/// <param name="Used">The provider that ran; absent until a stage has scored on the device.</param>
public sealed record DeviceRecord(string Requested, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Used = null);

/// <param name="EndedUtc">Absent while the invocation runs (or after it was killed).</param>
public sealed record InvocationRecord(
    string StartedUtc,
    string Host,
    IReadOnlyDictionary<string, StageRecord> Stages,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndedUtc = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Seconds = null);

public sealed record StageRecord(double Seconds, string Summary);
