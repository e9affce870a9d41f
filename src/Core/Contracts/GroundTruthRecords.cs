using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → ground_truth, for data with planted quanta (the sparse-parity toy): per-subtask learning
/// across the family, the measured α_N, and the theory's and the paper's values from RUN/toy.json when present.
/// </summary>
public sealed record GroundTruthRecord
{
    public required int Subtasks { get; init; }
    public required double LearnedBelowNats { get; init; }
    public required int SubtasksLearnedByLargest { get; init; }
    /// <summary>Null with fewer than two sizes.</summary>
    public required double? SpearmanFrequencyRankVsLearnedSize { get; init; }
    public required double? MedianDropShare { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MeasuredAlphaNRecord? MeasuredAlphaN { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ToyTheoryRecord? Theory { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ToyPaperRecord? Paper { get; init; }
    public required IReadOnlyList<SubtaskLearningRecord> BySubtask { get; init; }
    /// <summary>
    /// The learning-order test with the true subtasks as items (learning_order's criterion and series): Spearman ρ of
    /// frequency rank against the step (per size) and the size where each is learned. Absent with no series.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<LearningOrderCorrelationRecord>? LearningOrder { get; init; }
}

/// <summary>α_N of the family's mean loss: the pure power law, and the fit with an irreducible loss where it converged.</summary>
public sealed record MeasuredAlphaNRecord(EstimateRecord Pure, EstimateRecord? WithIrreducible);

/// <summary>toy.json → theory: α_N = α and the rank-frequency slope −(1+α).</summary>
public sealed record ToyTheoryRecord(double AlphaN, double RankFrequencySlope);

/// <summary>toy.json → paper: the paper's measured α_N at this α (null outside its table) and its QDG envelope slope.</summary>
public sealed record ToyPaperRecord(double? AlphaN, double QdgEnvelopeSlope);

/// <summary>One planted subtask: its frequency rank, examples, the smallest size that learned it, and the largest share of its drop in one size step.</summary>
public sealed record SubtaskLearningRecord(int Subtask, int FrequencyRank, long Examples, long? LearnedAtParameters, double DropShare);

/// <summary>
/// qdg.models.&lt;model&gt;.ground_truth: how well the clusters recover the planted subtasks, per k, and at the k
/// nearest the number of subtasks present why (homogeneity, completeness, the most frequent subtask's clusters).
/// The at-k fields are absent when no k was clustered.
/// </summary>
public sealed record ClusterRecoveryRecord(
    int SamplesScored,
    int SubtasksPresent,
    int[] TrueSizes,
    double? TrueZipfExponentMle,
    IReadOnlyList<ClusterScoreRecord> ByK,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? KNearestPresent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? AriAtKPresent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? NmiAtKPresent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? HomogeneityAtKPresent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CompletenessAtKPresent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SubtaskClustersRecord? MostFrequentSubtaskClusters = null);

/// <summary>Adjusted Rand index and normalised mutual information of one k's clusters against the true subtasks.</summary>
public sealed record ClusterScoreRecord(int K, double Ari, double Nmi);

/// <summary>A subtask and the sizes of the clusters its samples fall in, largest first.</summary>
public sealed record SubtaskClustersRecord(int Subtask, int[] ClusterSizes);
