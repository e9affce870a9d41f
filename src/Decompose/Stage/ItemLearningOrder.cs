using System.Globalization;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Decompose.Stage;

/// <summary>A series the items are learned along: a size's checkpoints (variable "step") or the sizes at their latest step.</summary>
internal sealed record OrderSeries(string Name, string Variable, IReadOnlyList<FamilyModel> Models, double[] X)
{
    /// <summary>Every size's checkpoints, then the sizes (when there are two or more).</summary>
    public static List<OrderSeries> Of(IReadOnlyList<List<FamilyModel>> stepSeries, IReadOnlyList<FamilyModel> series)
    {
        var result = stepSeries.Select(s => new OrderSeries($"steps of the {s[0].NonEmbeddingParameters.ToString("N0", CultureInfo.InvariantCulture)}-parameter size", "step",
            s, s.Select(m => (double)m.Step!.Value).ToArray())).ToList();
        if (series.Count >= 2)
            result.Add(new OrderSeries("sizes at their latest step", "non_embedding_parameters", series, series.Select(m => (double)m.NonEmbeddingParameters).ToArray()));
        return result;
    }
}

/// <summary>
/// The learning-order test for any kind of item (token types, QDG clusters, true subtasks): items in frequency-rank
/// order (index i = rank i+1), each with its mean loss under every model; where each is learned along a series
/// (<see cref="LearnedAt"/>) and Spearman ρ of frequency rank against it, with a bootstrap interval over items.
/// </summary>
internal static class ItemLearningOrder
{
    /// <param name="loss">Per model name, the items' mean losses in rank order.</param>
    /// <param name="learned">Called for every item (rank index) with where it is learned (NaN: not learned along this series).</param>
    public static LearningOrderCorrelationRecord Correlate(OrderSeries series, IReadOnlyDictionary<string, double[]> loss, int items, LearningOrderOptions options,
        int resamples, int seed, Action<int, double>? learned = null)
    {
        var ranks = new List<double>();
        var at = new List<double>();
        for (int i = 0; i < items; i++)
        {
            int index = LearnedAt.Index(series.Models.Select(m => loss[m.Name][i]).ToArray(), options.LearnedShare, options.MinDrop);
            learned?.Invoke(i, index >= 0 ? series.X[index] : double.NaN);
            if (index < 0)
                continue;
            ranks.Add(i + 1);
            at.Add(series.X[index]);
        }
        var rho = ranks.Count >= 3 ? WeightedSpearman.Of(ranks, at, resamples, seed) : null;
        return new LearningOrderCorrelationRecord(series.Name, series.Variable, series.Models.Select(m => m.Name).ToList(), series.X, ranks.Count, items - ranks.Count,
            rho is null ? null : EstimateRecord.Of(rho.Value, rho.Low, rho.High));
    }

    /// <summary>The correlations in one sentence each, and the inverse-scaling count: the section's verdict.</summary>
    public static string Verdict(IReadOnlyList<LearningOrderCorrelationRecord> correlations, int inverse, int items)
    {
        if (items == 0 || correlations.Count == 0)
            return "no series of checkpoints or sizes to order the items along";
        var parts = correlations.Select(c => c.Spearman is not { Ci: [{ } low, { } high] } rho
            ? $"{c.Series}: too few learned items for ρ"
            : $"{c.Series}: ρ = {Show(rho.Value)} [{Show(low)}, {Show(high)}], " + (low > 0 ? "frequent items are learned first, as the theory predicts"
                : high < 0 ? "frequent items are learned later, against the theory" : "no order by frequency beyond the interval"));
        return string.Join("; ", parts) + $". {inverse} of {items} items scale inversely (the largest size worse than the next one down beyond the interval).";
    }

    /// <summary>Weighted mean of <paramref name="values"/> (bootstrap multiplicities).</summary>
    public static double Mean(double[] values, int[] weights)
    {
        double s = 0;
        long n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            s += weights[i] * values[i];
            n += weights[i];
        }
        return s / n;
    }

    private static string Show(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "–";
}
