namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → learning_order: learning order by frequency (Neumann &amp; Gros). Items are predicted token
/// types; an item is learned where its mean loss first falls below start − share·(start − end) of its own curve.
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
    string Verdict);

/// <summary>Spearman ρ between items' frequency rank and where they are learned along one series (steps of a size, or sizes).</summary>
public sealed record LearningOrderCorrelationRecord(string Series, string Variable, IReadOnlyList<string> Models, double[] X, int ItemsLearned, int ItemsNotLearned, EstimateRecord? Spearman);

/// <summary>An item whose loss is higher under the largest model than under the next size down, beyond its bootstrap interval.</summary>
public sealed record InverseScalingRecord(int TokenId, int FrequencyRank, long Count, double LossLargest, double LossNext, EstimateRecord Increase, IReadOnlyList<TokenPositionRecord> Contexts);

/// <summary>A predicted token: its document and position.</summary>
public sealed record TokenPositionRecord(long DocId, int Pos);
