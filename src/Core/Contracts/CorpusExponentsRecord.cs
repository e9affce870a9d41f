using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → corpus_exponents (Cagnetta, Raventós, Ganguli, Wyart 2025): β from the decay of the top singular
/// value of the lagged co-occurrence covariance, γ from the decay of the next-token entropy with context, the
/// predicted data exponent α_D = γ/(2β), and the measured one from a size's checkpoints.
/// </summary>
public sealed record CorpusExponentsRecord(
    string Status,
    CorrelationDecayRecord? Beta,
    EntropyDecayRecord? Gamma,
    EstimateRecord? PredictedAlphaD,
    DataExponentRecord? MeasuredAlphaD,
    IReadOnlyList<PaperExponentsRecord> Paper,
    string Verdict);

/// <summary>σ₁(C_n) for lags n = 1…n_max, its power-law fit over <see cref="FitLags"/>, and β on growing prefixes of the tokens.</summary>
public sealed record CorrelationDecayRecord(
    long Tokens,
    long Documents,
    int Vocabulary,
    int[] Lags,
    double[] TopSingularValue,
    double NoiseFloor,
    int[] FitLags,
    EstimateRecord Exponent,
    IReadOnlyList<PrefixExponentRecord> Prefixes);

/// <summary>β measured on the first <see cref="Tokens"/> tokens.</summary>
public sealed record PrefixExponentRecord(long Tokens, double? Exponent);

/// <summary>
/// H_n: a model's mean loss at context length n, measured as <see cref="Definition"/> says; H_n − H_∞ = A·n^−γ over
/// <see cref="FitPositions"/>. <see cref="Tokens"/>: the losses averaged at each n. <see cref="Undetermined"/>: why the points do
/// not determine γ (then <see cref="Exponent"/> has no value), null when they do.
/// </summary>
public sealed record EntropyDecayRecord(string Model, ContextEntropyDefinition Definition, int[] Positions, double[] MeanLoss, long[] Tokens, int[] FitPositions, EstimateRecord Exponent,
    double? EntropyLimit, double? Amplitude, string? Undetermined);

/// <summary>Which H_n γ was fitted to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContextEntropyDefinition>))]
public enum ContextEntropyDefinition
{
    /// <summary>The paper's: the mean loss of targets sampled at random offsets, each scored from exactly n tokens of context (context/model=&lt;m&gt;).</summary>
    [JsonStringEnumMemberName("context_probe")] ContextProbe,
    /// <summary>Without a probe: the loss at predicted position n of each document (scored from its start), net of the document's own level.</summary>
    [JsonStringEnumMemberName("document_position")] DocumentPosition,
}

/// <summary>L(D) = L∞ + c·D^−α_D over one size's checkpoints, D = step × tokens per step.</summary>
public sealed record DataExponentRecord(string Status, IReadOnlyList<string> Models, double[] TokensSeen, double[] MeanLoss, EstimateRecord? Exponent, double? IrreducibleLoss);

/// <summary>The paper's figures for one corpus.</summary>
public sealed record PaperExponentsRecord(string Corpus, double Beta, double Gamma, double AlphaD);
