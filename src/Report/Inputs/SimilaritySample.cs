using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Report.Inputs;

/// <summary>
/// The similarity matrix of at most <c>limit</c> QDG samples, ordered by cluster (largest first): each
/// cluster keeps a share of its samples proportional to its size (at least one), evenly spaced in
/// sample order, so the picture is deterministic. Zero gradients (cluster −1) are left out, as QDG does.
/// </summary>
internal sealed record SimilaritySample(int[] Rows, int[] Boundaries, float[] Matrix)
{
    public int Count => Rows.Length;

    /// <param name="signInvariant">|cosine| (what agglomerative QDG clusters on) rather than the cosine.</param>
    public static SimilaritySample Compute(ReadOnlySpan<float> sketches, int dimension, int[] clusterOfRow, int limit, bool signInvariant)
    {
        var members = Enumerable.Range(0, clusterOfRow.Length).Where(r => clusterOfRow[r] >= 0).GroupBy(r => clusterOfRow[r])
            .OrderBy(g => g.Key).Select(g => g.Order().ToArray()).ToList();
        int total = members.Sum(m => m.Length);
        var rows = new List<int>();
        var boundaries = new List<int>();
        foreach (var m in members)
        {
            int take = total <= limit ? m.Length : Math.Clamp((int)Math.Round((double)m.Length * limit / total), 1, m.Length);
            if (rows.Count > 0)
                boundaries.Add(rows.Count);
            for (int i = 0; i < take; i++)
                rows.Add(m[(int)((long)i * m.Length / take)]);
            if (rows.Count >= limit)
                break;
        }
        var picked = new float[(long)rows.Count * dimension];
        for (int i = 0; i < rows.Count; i++)
            sketches.Slice(rows[i] * dimension, dimension).CopyTo(picked.AsSpan(i * dimension, dimension));
        var matrix = CosineMatrix.Compute(picked, rows.Count, dimension);
        if (signInvariant)
            for (int i = 0; i < matrix.Length; i++)
                matrix[i] = MathF.Abs(matrix[i]);
        return new SimilaritySample(rows.ToArray(), boundaries.ToArray(), matrix);
    }
}
