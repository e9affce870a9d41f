namespace QuantaProbe.Decompose.PowerLaw;

/// <summary>Cluster sizes by rank, and the envelope of several such curves.</summary>
public static class RankFrequency
{
    /// <summary>Sizes of the clusters in <paramref name="labels"/>, largest first (rank 1 = index 0); negative labels (unclustered) are left out.</summary>
    public static int[] Sizes(IEnumerable<int> labels) =>
        labels.Where(l => l >= 0).GroupBy(l => l).Select(g => g.Count()).OrderDescending().ToArray();

    /// <summary>At each rank, the largest size any curve has there (the paper's envelope over k).</summary>
    public static int[] Envelope(IEnumerable<int[]> curves)
    {
        var envelope = new List<int>();
        foreach (var curve in curves)
            for (int r = 0; r < curve.Length; r++)
            {
                if (r == envelope.Count)
                    envelope.Add(curve[r]);
                else
                    envelope[r] = Math.Max(envelope[r], curve[r]);
            }
        return envelope.ToArray();
    }

    /// <summary>OLS slope of log size on log rank over ranks [first, last] (1-based, inclusive), as the paper fits.</summary>
    public static double LogLogSlope(IReadOnlyList<int> sizes, int first, int last)
    {
        last = Math.Min(last, sizes.Count);
        if (first < 1 || last - first < 1)
            throw new ArgumentException($"a slope needs at least two ranks in [{first}, {last}]");
        var x = Enumerable.Range(first, last - first + 1).Where(r => sizes[r - 1] > 0).Select(r => Math.Log(r)).ToArray();
        var y = Enumerable.Range(first, last - first + 1).Where(r => sizes[r - 1] > 0).Select(r => Math.Log(sizes[r - 1])).ToArray();
        return MathNet.Numerics.Fit.Line(x, y).Item2;
    }
}
