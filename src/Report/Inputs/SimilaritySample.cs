using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Report.Inputs;

/// <summary>
/// The similarity matrix of at most <c>limit</c> QDG samples, ordered by cluster (largest first): each
/// cluster keeps a share of its samples proportional to its size (at least one), evenly spaced in
/// sample order, so the picture is deterministic. Zero gradients (cluster −1) are left out, as QDG does.
/// </summary>
internal sealed record SimilaritySample(int[] SampleIds, int[] Boundaries, float[] Matrix)
{
    public int Count => SampleIds.Length;

    /// <summary>The samples drawn (by cluster, then sample id) and where each cluster after the first begins among them.</summary>
    public sealed record Picked(int[] SampleIds, int[] Boundaries);

    /// <param name="sampleIds">Each clustered sample's id.</param>
    /// <param name="clusters">Its cluster (0 the largest; −1 none).</param>
    public static Picked Pick(int[] sampleIds, int[] clusters, int limit)
    {
        var members = Enumerable.Range(0, clusters.Length).Where(i => clusters[i] >= 0).GroupBy(i => clusters[i])
            .OrderBy(g => g.Key).Select(g => g.Select(i => sampleIds[i]).Order().ToArray()).ToList();
        int total = members.Sum(m => m.Length);
        var picked = new List<int>();
        var boundaries = new List<int>();
        foreach (var m in members)
        {
            int take = total <= limit ? m.Length : Math.Clamp((int)Math.Round((double)m.Length * limit / total), 1, m.Length);
            if (picked.Count > 0)
                boundaries.Add(picked.Count);
            for (int i = 0; i < take; i++)
                picked.Add(m[(int)((long)i * m.Length / take)]);
            if (picked.Count >= limit)
                break;
        }
        return new Picked(picked.ToArray(), boundaries.ToArray());
    }

    /// <param name="sketches">The picked samples' sketches, in <paramref name="picked"/>'s order.</param>
    /// <param name="signInvariant">|cosine| (what agglomerative QDG clusters on) rather than the cosine.</param>
    public static SimilaritySample Compute(Picked picked, ReadOnlySpan<float> sketches, int dimension, bool signInvariant)
    {
        var matrix = CosineMatrix.Compute(sketches, picked.SampleIds.Length, dimension);
        if (signInvariant)
            for (int i = 0; i < matrix.Length; i++)
                matrix[i] = MathF.Abs(matrix[i]);
        return new SimilaritySample(picked.SampleIds, picked.Boundaries, matrix);
    }
}
