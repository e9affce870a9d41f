namespace QuantaProbe.Ingest.Corpus;

public sealed record CorpusOptions
{
    /// <summary>Splits .txt files into documents; null: one document per file.</summary>
    public string? Separator { get; init; }
    /// <summary>The text column of .parquet corpora.</summary>
    public string TextColumn { get; init; } = "text";
}
