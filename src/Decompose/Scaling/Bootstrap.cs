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
        if (values.Count == 0)
            return new Estimate(value, double.NaN, double.NaN, level, 0);
        values.Sort();
        double tail = (1 - level) / 2;
        return new Estimate(value, Quantile(values, tail), Quantile(values, 1 - tail), level, values.Count);
    }

    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
