using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → qdg: the predicted slope −(1+α_N) when the family has two sizes or more, then either
/// <see cref="Status"/> (why no gradients were clustered) or one entry per gradients/&lt;model&gt; folder.
/// </summary>
public sealed record QdgSectionRecord(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PredictedSlopeRecord? PredictedSlope = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, QdgModelEntry>? Models = null);

/// <summary>−(1+α_N) with its interval, from the pure power-law fit of α_N.</summary>
public sealed record PredictedSlopeRecord(double? Value, double?[] Ci, double FromAlphaN);

/// <summary>A bootstrap estimate that also says how many resamples made its interval.</summary>
public sealed record ResampledEstimateRecord(double? Value, double?[] Ci, int Resamples);

/// <summary>
/// summary.json → qdg.models.&lt;model&gt;, also decompose/qdg/&lt;model&gt;.json: a complete result
/// (<see cref="Result"/>, every field required), or only the status saying why QDG did not run for the model.
/// </summary>
[JsonConverter(typeof(QdgModelEntryConverter))]
public sealed record QdgModelEntry(string Status, QdgModelResult? Result)
{
    public const string Complete = "complete";

    public static QdgModelEntry NotRun(string status) => new(status, null);

    public static QdgModelEntry Of(QdgModelResult result) => new(result.Status, result);
}

/// <summary>QDG's result for one model; <see cref="Settings"/> decide whether a stored result can be reused.</summary>
public sealed record QdgModelResult(
    string Status,
    QdgSettingsRecord Settings,
    string Method,
    int Samples,
    int ZeroGradients,
    int SketchDimension,
    IReadOnlyList<int> Ks,
    int[] EnvelopeRankRange,
    ResampledEstimateRecord EnvelopeSlope,
    int ReferenceK,
    double ReferenceSlopeOls,
    ResampledEstimateRecord ReferenceZipfExponentMle,
    EstimateRecord ReferenceSlopeMle,
    int[] LargestClusters,
    double SimilaritySeconds,
    double ClusteringSeconds,
    QdgSimilarityRecord Similarity,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QdgSubsampleRecord? DenseSubsample = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PredictedSlope = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ClusterRecoveryRecord? GroundTruth = null);

/// <summary>Everything a model's QDG result depends on, including a fingerprint of its gradient sketches.</summary>
public sealed record QdgSettingsRecord(
    string Method,
    IReadOnlyList<int> Ks,
    int ReferenceK,
    string ReferenceKRule,
    int Restarts,
    int Seed,
    int Resamples,
    int[]? RankRange,
    int DenseLimit,
    int Neighbours,
    double CurveWeight,
    IReadOnlyList<string?>? CurveModels,
    int Samples,
    int Dimension,
    string Fingerprint,
    bool GroundTruth);
