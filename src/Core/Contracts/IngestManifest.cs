namespace QuantaProbe.Core.Contracts;

/// <summary>RUN/ingest.json, written by `quanta ingest` once every part is complete.</summary>
public sealed record IngestManifest(
    int SchemaVersion,
    string Stage,
    string? ToolVersion,
    string Corpus,
    string CorpusFingerprint,
    string Tokenizer,
    string TokenizerSha256,
    int VocabSize,
    int ContextLength,
    int DocsPerPart,
    string? Separator,
    string? TextColumn,
    long Documents,
    long Tokens,
    long Parts) : IContract
{
    public static int CurrentSchemaVersion => 1;

    public static IngestManifest Read(string runFolder) =>
        ContractFile.Read(RunPaths.IngestManifest(runFolder), ContractsJson.Default.IngestManifest, $"run `quanta ingest --out {runFolder}` (every shard) before this stage");

    public void Write(string runFolder) => ContractFile.Write(RunPaths.IngestManifest(runFolder), this, ContractsJson.Default.IngestManifest);
}
