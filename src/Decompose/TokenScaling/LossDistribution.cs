namespace QuantaProbe.Decompose.TokenScaling;

/// <summary>
/// The distribution of per-token losses on log-spaced bins: p(L) as a density, and L·p(L), whose
/// area per bin is that bin's share of the mean loss (the paper's Figure on where the loss lives).
/// </summary>
public sealed record LossDistribution(double[] BinEdges, double[] Density, double[] LossWeightedDensity, long Count, double MeanLoss)
{
    public static LossDistribution Of(ReadOnlySpan<float> losses, double low = 1e-4, double high = 30, int bins = 60)
    {
        var builder = new LossDistributionBuilder(low, high, bins);
        builder.Add(losses);
        return builder.Build();
    }
}

/// <summary>Builds a <see cref="LossDistribution"/> from losses streamed part by part (same result as all at once).</summary>
public sealed class LossDistributionBuilder(double low = 1e-4, double high = 30, int bins = 60)
{
    private readonly long[] _counts = new long[bins];
    private readonly double _logLow = Math.Log(low), _step = Math.Log(high / low) / bins;
    private double _sum;

    public long Count { get; private set; }
    public long BelowTenthNat { get; private set; }
    public long BelowOneBit { get; private set; }

    public void Add(ReadOnlySpan<float> losses)
    {
        foreach (float l in losses)
        {
            _sum += l;
            int b = (int)Math.Floor((Math.Log(Math.Max(l, low)) - _logLow) / _step);
            _counts[Math.Clamp(b, 0, bins - 1)]++;
            if (l < 0.1f) BelowTenthNat++;
            if (l < MathF.Log(2)) BelowOneBit++;
        }
        Count += losses.Length;
    }

    public LossDistribution Build()
    {
        var edges = Enumerable.Range(0, bins + 1).Select(i => low * Math.Pow(high / low, (double)i / bins)).ToArray();
        var density = new double[bins];
        var weighted = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            double width = edges[b + 1] - edges[b];
            double center = Math.Sqrt(edges[b] * edges[b + 1]);
            density[b] = Count == 0 ? 0 : _counts[b] / (double)Count / width;
            weighted[b] = center * density[b];
        }
        return new LossDistribution(edges, density, weighted, Count, Count == 0 ? double.NaN : _sum / Count);
    }
}
