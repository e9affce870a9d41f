namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// Normalised mutual information of two labelings, I(A;B) / mean(H(A), H(B)) (arithmetic mean,
/// scikit-learn's default): 1 for identical partitions, 0 for independent ones.
/// </summary>
public static class NormalizedMutualInformation
{
    public static double Of(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException("labelings of different lengths");
        int n = a.Count;
        if (n == 0)
            return 1.0;
        var pairs = new Dictionary<(int, int), int>();
        var rows = new Dictionary<int, int>();
        var columns = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            pairs[(a[i], b[i])] = pairs.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
        }
        double Entropy(IEnumerable<int> counts) => -counts.Sum(c => c / (double)n * Math.Log(c / (double)n));
        double ha = Entropy(rows.Values), hb = Entropy(columns.Values);
        if (ha == 0 && hb == 0)
            return 1.0;
        double mutual = pairs.Sum(p => p.Value / (double)n * Math.Log(p.Value * (double)n / ((double)rows[p.Key.Item1] * columns[p.Key.Item2])));
        return Math.Max(0, mutual) / ((ha + hb) / 2);
    }
}
