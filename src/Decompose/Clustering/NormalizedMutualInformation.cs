namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// Normalised mutual information of two labelings, I(A;B) / mean(H(A), H(B)) (arithmetic mean,
/// scikit-learn's default): 1 for identical partitions, 0 for independent ones.
/// </summary>
public static class NormalizedMutualInformation
{
    public static double Of(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var table = new ContingencyTable(a, b);
        int n = table.Count;
        if (n == 0)
            return 1.0;
        double ha = table.Entropy(table.First.Values), hb = table.Entropy(table.Second.Values);
        if (ha == 0 && hb == 0)
            return 1.0;
        double mutual = table.Pairs.Sum(p => p.Value / (double)n * Math.Log(p.Value * (double)n / ((double)table.First[p.Key.First] * table.Second[p.Key.Second])));
        return Math.Max(0, mutual) / ((ha + hb) / 2);
    }
}
