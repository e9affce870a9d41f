using System.Globalization;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// One-third time scaling (Liu, Liu, Pehlevan, Gore): for every size with checkpoints at several steps, mean loss
/// against τ(step) = Σ η_t of the family's schedule, fitted as L = c·τ^−α + L0 (and the pure power law), α with a
/// bootstrap interval over documents against 1/3. Writes decompose/time_scaling/part-00000.parquet.
/// </summary>
internal static class TimeScalingSection
{
    public const double PaperAlpha = 1.0 / 3;
    public const string Paper = "loss falls as τ^-1/3; Pythia 70M…12B give α ≈ 0.31–0.37";

    public static async Task<TimeScalingRecord> RunAsync(string runFolder, LearningRateSchedule? schedule, IReadOnlyList<List<FamilyModel>> stepSeries,
        IReadOnlyDictionary<string, DocumentLosses> losses, int resamples, int seed)
    {
        if (schedule is null)
            return new TimeScalingRecord("no learning-rate schedule: add a \"schedule\" object (peak_lr, warmup_steps, decay, decay_steps, …) to the run config, or quanta decompose --peak-lr … --decay-steps …",
                null, PaperAlpha, Paper, []);
        var record = new LearningRateScheduleRecord(schedule.Optimizer, schedule.WarmupSteps, schedule.PeakRate, schedule.FinalRate, schedule.MinRate,
            schedule.Decay.ToString().ToLowerInvariant(), schedule.DecaySteps, schedule.TokensPerStep);
        if (stepSeries.Count == 0)
            return new TimeScalingRecord("no size has checkpoints at two or more steps", record, PaperAlpha, Paper, []);

        var sizes = new List<TimeScalingFitRecord>();
        foreach (var s in stepSeries)
        {
            var steps = s.Select(m => m.Step!.Value).ToArray();
            var tau = steps.Select(schedule.CumulativeRate).ToArray();
            var fit = ScalingAnalysis.Fit("tau", s.Select(m => m.Name).ToList(), tau, s.Select(m => losses[m.Name]).ToList(), resamples, seed);
            var alpha = fit.WithIrreducible is { } w ? EstimateRecord.Of(w.Alpha, fit.WithIrreducibleAlpha!.Low, fit.WithIrreducibleAlpha.High) : null;
            var pure = EstimateRecord.Of(fit.Pure.Alpha, fit.PureAlpha.Low, fit.PureAlpha.High);
            sizes.Add(new TimeScalingFitRecord(s[0].NonEmbeddingParameters, fit.Models, steps, tau, fit.MeanLoss,
                fit.MeanLossInterval.Select(e => new[] { e.Low, e.High }).ToList(), alpha,
                fit.WithIrreducible is { } f ? EstimateRecord.Finite(Math.Pow(f.Nc, f.Alpha)) : null, fit.WithIrreducible?.Irreducible, pure, Verdict(alpha, pure)));
        }
        await WriteAsync(Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.TimeScaling), schedule, stepSeries, sizes);
        return new TimeScalingRecord("complete", record, PaperAlpha, Paper, sizes);
    }

    /// <summary>The fit with L0 against 1/3; with two checkpoints only the pure law exists.</summary>
    private static string Verdict(EstimateRecord? alpha, EstimateRecord pure)
    {
        var (e, form) = alpha is not null ? (alpha, "L = c·τ^-α + L0") : (pure, "the pure law L = c·τ^-α (two checkpoints: no L0 fitted)");
        string value = $"α = {Show(e.Value)} [{Show(e.Ci[0])}, {Show(e.Ci[1])}] ({form})";
        if (e.Ci is not [{ } low, { } high])
            return value + ": no interval, so no verdict against 1/3";
        return low <= PaperAlpha && PaperAlpha <= high ? value + ": consistent with the paper's 1/3"
            : high < PaperAlpha ? value + ": shallower than the paper's 1/3, beyond its interval"
            : value + ": steeper than the paper's 1/3, beyond its interval";
    }

    private static string Show(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "–";

    private static Task WriteAsync(string folder, LearningRateSchedule schedule, IReadOnlyList<List<FamilyModel>> stepSeries, IReadOnlyList<TimeScalingFitRecord> sizes)
    {
        var rows = stepSeries.SelectMany((s, i) => s.Select((m, j) => (Model: m, Fit: sizes[i], Index: j))).ToList();
        return TableColumn.WriteAsync(folder,
        [
            TableColumn.Text("model", rows.Select(r => r.Model.Name).ToArray()),
            TableColumn.Of("non_embedding_parameters", rows.Select(r => r.Model.NonEmbeddingParameters).ToArray()),
            TableColumn.Of("step", rows.Select(r => r.Model.Step!.Value).ToArray()),
            TableColumn.Of("learning_rate", rows.Select(r => schedule.Rate(r.Model.Step!.Value)).ToArray()),
            TableColumn.Of("tau", rows.Select(r => r.Fit.Tau[r.Index]).ToArray()),
            TableColumn.Of("tokens_seen", rows.Select(r => schedule.TokensPerStep is { } t ? r.Model.Step!.Value * t : -1).ToArray()),
            TableColumn.Of("mean_loss", rows.Select(r => r.Fit.MeanLoss[r.Index]).ToArray()),
            TableColumn.Of("mean_loss_low", rows.Select(r => r.Fit.MeanLossCi[r.Index][0]).ToArray()),
            TableColumn.Of("mean_loss_high", rows.Select(r => r.Fit.MeanLossCi[r.Index][1]).ToArray()),
        ]);
    }
}
