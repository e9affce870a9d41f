namespace QuantaProbe.Ingest;

/// <summary>A document after tokenization: its first context-length ids and the text they cover.</summary>
internal sealed record TokenizedDocument(long DocId, string Source, int[] Ids, string CoveredText);
