namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → time_scaling: one-third time scaling (Liu, Liu, Pehlevan, Gore): each size's mean loss over
/// its checkpoints against the cumulative learning rate τ = Σ η_t, fitted as L = c·τ^−α + L0, α against 1/3.
/// </summary>
public sealed record TimeScalingRecord(
    string Status,
    LearningRateScheduleRecord? Schedule,
    double PaperAlpha,
    string Paper,
    IReadOnlyList<TimeScalingFitRecord> Sizes);

/// <summary>The schedule τ was computed from, as the config gave it.</summary>
public sealed record LearningRateScheduleRecord(string? Optimizer, int WarmupSteps, double PeakLr, double FinalLr, double MinLr, string Decay, long DecaySteps, long? TokensPerStep);

/// <summary>One size's checkpoints and fit. <see cref="Alpha"/> is the fit with L0 (needs three checkpoints); the pure power law beside it.</summary>
public sealed record TimeScalingFitRecord(
    long NonEmbeddingParameters,
    IReadOnlyList<string> Models,
    long[] Steps,
    double[] Tau,
    double[] MeanLoss,
    IReadOnlyList<double[]> MeanLossCi,
    EstimateRecord? Alpha,
    double? C,
    double? IrreducibleLoss,
    EstimateRecord PureAlpha,
    string Verdict);
