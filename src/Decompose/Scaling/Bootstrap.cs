namespace QuantaProbe.Decompose.Scaling;

/// <summary>A statistic's value with a percentile bootstrap confidence interval.</summary>
public sealed record Estimate(double Value, double Low, double High, double Level, int Resamples);

/// <summary>
/// Percentile bootstrap over items (documents): each resample draws the items with replacement,
/// given to the statistic as a multiplicity per item. Seeded, so reruns give the same interval.
/// </summary>
public static class Bootstrap
{
    public static Estimate Percentile(int items, Func<int[], double> statistic, int resamples = 1000, int seed = 0, double level = 0.95)
    {
        var (value, draws) = Draws(items, statistic, resamples, seed);
        if (draws.Count == 0)
            return new Estimate(value, double.NaN, double.NaN, level, 0);
        double tail = (1 - level) / 2;
        return new Estimate(value, Quantile(draws, tail), Quantile(draws, 1 - tail), level, draws.Count);
    }

    /// <summary>
    /// The percentile interval moved so that the draws' median sits on the estimate: the resamples' spread, not their
    /// location. For a statistic whose resamples are biased where the estimate itself is not (QDG's envelope slope: see
    /// <see cref="Qdg.QdgAnalysis.EnvelopeSlope"/>), the plain percentile interval carries that bias and can exclude the estimate.
    /// </summary>
    public static Estimate Centred(int items, Func<int[], double> statistic, int resamples = 1000, int seed = 0, double level = 0.95)
    {
        var (value, draws) = Draws(items, statistic, resamples, seed);
        if (draws.Count == 0 || !double.IsFinite(value))
            return new Estimate(value, double.NaN, double.NaN, level, draws.Count);
        double tail = (1 - level) / 2, shift = value - Quantile(draws, 0.5);
        return new Estimate(value, Quantile(draws, tail) + shift, Quantile(draws, 1 - tail) + shift, level, draws.Count);
    }

    /// <summary>The statistic of all items once each, and its finite values over the resamples, sorted.</summary>
    private static (double Value, List<double> Sorted) Draws(int items, Func<int[], double> statistic, int resamples, int seed)
    {
        if (items < 1)
            throw new ArgumentException("the bootstrap needs at least one item");
        var ones = new int[items];
        Array.Fill(ones, 1);
        double value = statistic(ones);
        var random = new Random(seed);
        var values = new List<double>(resamples);
        var counts = new int[items];
        for (int r = 0; r < resamples; r++)
        {
            Array.Clear(counts);
            for (int i = 0; i < items; i++)
                counts[random.Next(items)]++;
            double v = statistic(counts);
            if (double.IsFinite(v))
                values.Add(v);
        }
        values.Sort();
        return (value, values);
    }

    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
