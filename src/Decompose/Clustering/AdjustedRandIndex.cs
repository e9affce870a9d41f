namespace QuantaProbe.Decompose.Clustering;

/// <summary>Hubert–Arabie adjusted Rand index of two labelings (1: identical partitions, ~0: chance).</summary>
public static class AdjustedRandIndex
{
    public static double Of(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException("labelings of different lengths");
        var pairs = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var columns = new Dictionary<int, long>();
        for (int i = 0; i < a.Count; i++)
        {
            pairs[(a[i], b[i])] = pairs.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
        }
        static double Choose2(long x) => x * (x - 1) / 2.0;
        double index = pairs.Values.Sum(Choose2);
        double rowSum = rows.Values.Sum(Choose2), columnSum = columns.Values.Sum(Choose2);
        double expected = rowSum * columnSum / Choose2(a.Count);
        double max = (rowSum + columnSum) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }
}
