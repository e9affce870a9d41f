namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → learning_order: learning order by frequency (Neumann &amp; Gros). Items are predicted token
/// types; an item is learned where its mean loss first falls below start − share·(start − end) of its own curve.
/// <see cref="Clusters"/>: the same test with QDG's reference-k clusters as items, per model QDG ran for.
/// </summary>
public sealed record LearningOrderRecord(
    string Status,
    string Items,
    int MinCount,
    double LearnedShare,
    double MinDrop,
    int ItemCount,
    long Occurrences,
    EstimateRecord? ZipfExponent,
    IReadOnlyList<LearningOrderCorrelationRecord> Correlations,
    string? LargestModel,
    string? NextModel,
    int InverseScalingCount,
    IReadOnlyList<InverseScalingRecord> InverseScaling,
    string Verdict,
    IReadOnlyDictionary<string, ClusterOrderRecord> Clusters);

/// <summary>Spearman ρ between items' frequency rank and where they are learned along one series (steps of a size, or sizes).</summary>
public sealed record LearningOrderCorrelationRecord(string Series, string Variable, IReadOnlyList<string> Models, double[] X, int ItemsLearned, int ItemsNotLearned, EstimateRecord? Spearman);

/// <summary>An item whose loss is higher under the largest model than under the next size down, beyond its bootstrap interval.</summary>
public sealed record InverseScalingRecord(int TokenId, int FrequencyRank, long Count, double LossLargest, double LossNext, EstimateRecord Increase, IReadOnlyList<TokenPositionRecord> Contexts);

/// <summary>A predicted token: its document and position.</summary>
public sealed record TokenPositionRecord(long DocId, int Pos);

/// <summary>
/// summary.json → learning_order.clusters.&lt;model&gt;, also decompose/cluster_order/&lt;model&gt;.json: QDG's reference-k clusters of
/// that model's gradient samples as items (frequency = members; loss = the members' mean loss under every model). Reused
/// while <see cref="InputsSha256"/> (labels, the members' losses, the settings) is unchanged; where QDG did not complete,
/// only <see cref="Status"/> says why.
/// </summary>
public sealed record ClusterOrderRecord(
    string Status,
    int? ReferenceK,
    int MinSize,
    int ItemCount,
    long Occurrences,
    IReadOnlyList<LearningOrderCorrelationRecord> Correlations,
    string? LargestModel,
    string? NextModel,
    int InverseScalingCount,
    IReadOnlyList<ClusterInverseScalingRecord> InverseScaling,
    string Verdict,
    string? InputsSha256)
{
    public const string Complete = "complete";

    public static ClusterOrderRecord NotRun(string status, int minSize) => new(status, null, minSize, 0, 0, [], null, null, 0, [], status, null);
}

/// <summary>A cluster whose members' loss is higher under the largest model than under the next size down, beyond its bootstrap interval.</summary>
public sealed record ClusterInverseScalingRecord(int Cluster, int FrequencyRank, int Size, double LossLargest, double LossNext, EstimateRecord Increase, IReadOnlyList<TokenPositionRecord> Contexts);
