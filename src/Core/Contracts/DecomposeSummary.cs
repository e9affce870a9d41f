using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// RUN/decompose/summary.json, written by `quanta decompose` and read by the report.
/// </summary>
public sealed record DecomposeSummary : IContract
{
    public static int CurrentSchemaVersion => 2;

    public required int SchemaVersion { get; init; }
    public required string Stage { get; init; }
    public required string? ToolVersion { get; init; }
    public required int Seed { get; init; }
    public required int BootstrapResamples { get; init; }
    public required long Documents { get; init; }
    public required IReadOnlyList<SummaryModel> Models { get; init; }
    public required IReadOnlyList<WeightsGroup> DuplicateWeights { get; init; }
    /// <summary>Absent when the family has fewer than two sizes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public SeriesFitRecord? ScalingInParameters { get; init; }
    public required IReadOnlyList<SeriesFitRecord> ScalingInSteps { get; init; }
    /// <summary>Tokens per curve kind; absent until every token_scaling part exists.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyDictionary<string, long>? TokenKinds { get; init; }
    public required IReadOnlyDictionary<string, LossDistributionRecord> LossDistributions { get; init; }
    /// <summary>Present for data with planted quanta (the toy).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public GroundTruthRecord? GroundTruth { get; init; }
    public required QdgSectionRecord Qdg { get; init; }
    /// <summary>One-third time scaling; its status says why when it could not run (no schedule, no checkpoints).</summary>
    public required TimeScalingRecord TimeScaling { get; init; }
    /// <summary>Learning order by frequency.</summary>
    public required LearningOrderRecord LearningOrder { get; init; }
    /// <summary>Data-scaling exponent predicted from corpus statistics.</summary>
    public required CorpusExponentsRecord CorpusExponents { get; init; }

    public static string Fix(string runFolder) => $"re-run `quanta decompose --run {runFolder}`";

    public static DecomposeSummary Read(string runFolder) =>
        ContractFile.Read(RunPaths.DecomposeSummary(runFolder), ContractsJson.Default.DecomposeSummary, Fix(runFolder));

    public void Write(string runFolder) => ContractFile.Write(RunPaths.DecomposeSummary(runFolder), this, ContractsJson.Default.DecomposeSummary);
}

/// <summary>One model's row of summary.json: its counts and its mean loss with a bootstrap interval.</summary>
public sealed record SummaryModel(
    string Name,
    long? Step,
    long Parameters,
    long NonEmbeddingParameters,
    long Tokens,
    double MeanLoss,
    double[] MeanLossCi,
    [property: JsonPropertyName("weights_sha256")] string? WeightsSha256,
    IReadOnlyList<string> SameWeightsAs);

/// <summary>Models whose weights are the same file content.</summary>
public sealed record WeightsGroup(IReadOnlyList<string> Models, [property: JsonPropertyName("weights_sha256")] string WeightsSha256);

/// <summary>A scaling-law fit over a series of models (in non-embedding parameters or in steps).</summary>
public sealed record SeriesFitRecord(
    string Variable,
    IReadOnlyList<string> Models,
    double[] X,
    double[] MeanLoss,
    IReadOnlyList<double[]> MeanLossCi,
    PureFitRecord Pure,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IrreducibleFitRecord? WithIrreducible = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<IReadOnlyList<string>>? SameWeights = null);

/// <summary>L = (Nc/N)^α.</summary>
public sealed record PureFitRecord(string Form, double Alpha, double[] AlphaCi, double Nc, double Rss);

/// <summary>L = L∞ + (Nc/N)^α.</summary>
public sealed record IrreducibleFitRecord(string Form, double Alpha, double[] AlphaCi, double Nc, double IrreducibleLoss, double Rss);

/// <summary>A model's histogram of per-token losses.</summary>
public sealed record LossDistributionRecord(
    double[] BinEdges,
    double[] Density,
    double[] LossWeightedDensity,
    [property: JsonPropertyName("share_below_0.1_nats")] double ShareBelowTenthNat,
    [property: JsonPropertyName("share_below_1_bit")] double ShareBelowOneBit);
