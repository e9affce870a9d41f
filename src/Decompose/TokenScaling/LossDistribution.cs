namespace QuantaProbe.Decompose.TokenScaling;

/// <summary>
/// The distribution of per-token losses on log-spaced bins: p(L) as a density, and L·p(L), whose
/// area per bin is that bin's share of the mean loss (the paper's Figure on where the loss lives).
/// </summary>
public sealed record LossDistribution(double[] BinEdges, double[] Density, double[] LossWeightedDensity, long Count, double MeanLoss)
{
    public static LossDistribution Of(ReadOnlySpan<float> losses, double low = 1e-4, double high = 30, int bins = 60)
    {
        var edges = Enumerable.Range(0, bins + 1).Select(i => low * Math.Pow(high / low, (double)i / bins)).ToArray();
        var counts = new long[bins];
        double sum = 0;
        double logLow = Math.Log(low), step = Math.Log(high / low) / bins;
        foreach (float l in losses)
        {
            sum += l;
            int b = (int)Math.Floor((Math.Log(Math.Max(l, low)) - logLow) / step);
            counts[Math.Clamp(b, 0, bins - 1)]++;
        }
        var density = new double[bins];
        var weighted = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            double width = edges[b + 1] - edges[b];
            double center = Math.Sqrt(edges[b] * edges[b + 1]);
            density[b] = losses.Length == 0 ? 0 : counts[b] / (double)losses.Length / width;
            weighted[b] = center * density[b];
        }
        return new LossDistribution(edges, density, weighted, losses.Length, losses.Length == 0 ? double.NaN : sum / losses.Length);
    }
}
