namespace QuantaProbe.Report;

public sealed record ReportOptions
{
    public required string RunFolder { get; init; }
    /// <summary>At most this many QDG samples in the similarity matrix (drawn evenly from each cluster).</summary>
    public int SimilaritySamples { get; init; } = 300;
    /// <summary>Clusters of the reference k shown with their token contexts, largest first.</summary>
    public int ClustersShown { get; init; } = 10;
    public int ContextsPerCluster { get; init; } = 3;
    /// <summary>Tokens of context shown before a highlighted token.</summary>
    public int ContextTokens { get; init; } = 24;
    /// <summary>Monogenic and polygenic example tokens shown (each).</summary>
    public int TokenExamples { get; init; } = 5;
    /// <summary>Progress of long work: (done, total, what).</summary>
    public Action<double, double, string>? Progress { get; init; }
}

public sealed record ReportResult(string IndexPath, string SummaryPath, IReadOnlyList<string> Figures, IReadOnlyList<string> SectionsShown, IReadOnlyList<string> SectionsMissing);
