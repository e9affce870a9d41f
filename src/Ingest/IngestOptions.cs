using QuantaProbe.Core;
using QuantaProbe.Ingest.Corpus;

namespace QuantaProbe.Ingest;

public sealed record IngestOptions
{
    public required string Corpus { get; init; }
    public required string Tokenizer { get; init; }
    public required string RunFolder { get; init; }
    public int ContextLength { get; init; } = 1024;
    public int DocumentsPerPart { get; init; } = 4096;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public CorpusOptions CorpusOptions { get; init; } = new();
    public int Threads { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        if (ContextLength < 1)
            throw new QuantaException($"--context-length {ContextLength}: must be at least 1");
        if (DocumentsPerPart < 1)
            throw new QuantaException($"--docs-per-part {DocumentsPerPart}: must be at least 1");
        if (Threads < 1)
            throw new QuantaException($"--threads {Threads}: must be at least 1");
    }
}

/// <summary>What a call of <see cref="IngestStage.RunAsync"/> did.</summary>
public sealed record IngestResult(long Documents, long PartsWritten, long PartsSkipped, long TokensWritten, bool Complete, string? ManifestPath);

/// <summary>Progress of ingest: documents seen so far, and tokens written by this process.</summary>
public readonly record struct IngestProgress(long DocumentsSeen, long DocumentsWritten, long TokensWritten, long BytesRead, long BytesTotal);
