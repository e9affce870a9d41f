namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// Draws for the interval of a statistic that resampling with replacement would bias: σ₁ of a co-occurrence matrix counts a
/// duplicated document's pairs twice, which inflates every lag's σ₁ and flattens its decay, so a bootstrap's draws of β sit
/// below the estimate. Half-sampling (the delete-d jackknife with d = n/2) draws half the items without replacement; for d = n/2
/// the variance of the half-sample statistics about their mean estimates the full sample's variance. Their mean is shifted by the
/// smaller sample (σ₁'s noise floor rises as the corpus shrinks), so the draws returned are the estimate plus each half-sample's
/// deviation from that mean: centred on the estimate, with its spread.
/// </summary>
public static class HalfSampling
{
    /// <param name="statistic">The statistic of the items with weight 1 (the others 0).</param>
    /// <returns>estimate + (θ_s − mean θ), NaN where θ_s is not finite.</returns>
    public static double[] Draws(int items, double estimate, Func<int[], double> statistic, int samples, int seed)
    {
        var random = new Random(seed);
        var order = Enumerable.Range(0, items).ToArray();
        var weights = new int[items];
        var values = new double[samples];
        for (int s = 0; s < samples; s++)
        {
            random.Shuffle(order);
            Array.Clear(weights);
            for (int i = 0; i < items / 2; i++)
                weights[order[i]] = 1;
            values[s] = statistic(weights);
        }
        var finite = values.Where(double.IsFinite).ToArray();
        double mean = finite.Length > 0 ? finite.Average() : double.NaN;
        return values.Select(v => double.IsFinite(v) ? estimate + (v - mean) : double.NaN).ToArray();
    }
}
