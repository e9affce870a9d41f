namespace QuantaProbe.Decompose.Laws;

/// <summary>The resampled values of a statistic (items drawn with replacement, as multiplicities), for intervals of quantities derived from several statistics.</summary>
public static class BootstrapDraws
{
    public static double[] Of(int items, Func<int[], double> statistic, int resamples, int seed)
    {
        var random = new Random(seed);
        var counts = new int[items];
        var values = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            Array.Clear(counts);
            for (int i = 0; i < items; i++)
                counts[random.Next(items)]++;
            values[r] = statistic(counts);
        }
        return values;
    }

    /// <summary>The 95% percentile interval of the finite draws (NaN, NaN when none are).</summary>
    public static (double Low, double High) Interval(IEnumerable<double> draws)
    {
        var sorted = draws.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
            return (double.NaN, double.NaN);
        double At(double q)
        {
            double position = q * (sorted.Length - 1);
            int below = (int)Math.Floor(position);
            int above = Math.Min(below + 1, sorted.Length - 1);
            return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
        }
        return (At(0.025), At(0.975));
    }
}
