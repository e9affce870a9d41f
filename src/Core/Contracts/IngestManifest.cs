using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// RUN/ingest.json, written once every tokens part exists: by `quanta ingest` (from a corpus and a
/// tokenizer) or by the toy (planted data: no corpus fingerprint, tokenizer or text column).
/// </summary>
public sealed record IngestManifest : IContract
{
    public static int CurrentSchemaVersion => 1;

    public required int SchemaVersion { get; init; }
    /// <summary>"ingest" or "toy".</summary>
    public required string Stage { get; init; }
    public required string? ToolVersion { get; init; }
    public required string Corpus { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CorpusFingerprint { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Tokenizer { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TokenizerSha256 { get; init; }
    public required int VocabSize { get; init; }
    public required int ContextLength { get; init; }
    public required int DocsPerPart { get; init; }
    /// <summary>Written even when null (no separator); absent only in files of the toy.</summary>
    public string? Separator { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? TextColumn { get; init; }
    public required long Documents { get; init; }
    public required long Tokens { get; init; }
    public required long Parts { get; init; }

    public static IngestManifest Read(string runFolder) =>
        ContractFile.Read(RunPaths.IngestManifest(runFolder), ContractsJson.Default.IngestManifest, $"run `quanta ingest --out {runFolder}` (every shard) before this stage");

    public void Write(string runFolder) => ContractFile.Write(RunPaths.IngestManifest(runFolder), this, ContractsJson.Default.IngestManifest);
}
