using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// Spectral clustering of a dense affinity as scikit-learn does it: normalised affinity
/// D^-1/2 A D^-1/2, its top-k eigenvectors v by subspace iteration, the embedding D^-1/2 v (the
/// random-walk eigenvectors; NJW's row normalisation instead lets noise split the large clusters of
/// a Zipf-sized population), then k-means++ with several seeded restarts. For a list of k the eigenvectors are computed once,
/// for the largest k: the top-k eigenvectors of one matrix are the first k of its top-k_max.
/// </summary>
public static class SpectralClustering
{
    public static int[] Cluster(float[] affinity, int n, int k, int seed = 0, int restarts = 10) =>
        ClusterMany(affinity, n, [k], seed, restarts)[k];

    /// <summary>Labels for every k of <paramref name="ks"/> (each 1 ≤ k ≤ n).</summary>
    public static IReadOnlyDictionary<int, int[]> ClusterMany(float[] affinity, int n, IReadOnlyList<int> ks, int seed = 0, int restarts = 10,
        Action<int>? clustered = null)
    {
        if (affinity.Length != (long)n * n)
            throw new ArgumentException($"the affinity holds {affinity.Length} values, not {n}×{n}");
        foreach (int k in ks)
            if (k < 1 || k > n)
                throw new ArgumentException($"k = {k} clusters of {n} points");
        var result = new Dictionary<int, int[]>();
        int kMax = ks.Count == 0 ? 1 : ks.Max();
        float[] vectors = [];
        var scale = InverseSqrtDegrees(affinity, n);
        if (kMax > 1)
            (_, vectors, _) = TopEigenvectors.Compute(Normalize(affinity, scale, n), n, kMax, seed);
        foreach (int k in ks.Distinct())
        {
            result[k] = k == 1 ? new int[n] : KMeans.Cluster(Embedding(vectors, scale, n, k), k, restarts, seed);
            clustered?.Invoke(k);
        }
        return result;
    }

    /// <summary>Row i: the i-th entries of the first k eigenvectors, times d_i^-1/2; each vector's sign fixed so its largest entry is positive.</summary>
    private static float[][] Embedding(float[] vectors, float[] scale, int n, int k)
    {
        var embedding = new float[n][];
        for (int i = 0; i < n; i++)
            embedding[i] = new float[k];
        for (int j = 0; j < k; j++)
        {
            var v = vectors.AsSpan(j * n, n);
            float sign = v[TensorPrimitives.IndexOfMaxMagnitude(v)] < 0 ? -1f : 1f;
            for (int i = 0; i < n; i++)
                embedding[i][j] = sign * v[i] * scale[i];
        }
        return embedding;
    }

    private static float[] InverseSqrtDegrees(float[] affinity, int n)
    {
        var scale = new float[n];
        for (int i = 0; i < n; i++)
        {
            float degree = TensorPrimitives.Sum(affinity.AsSpan(i * n, n));
            scale[i] = degree > 0 ? 1f / MathF.Sqrt(degree) : 0f;
        }
        return scale;
    }

    private static float[] Normalize(float[] affinity, float[] scale, int n)
    {
        var m = new float[affinity.Length];
        Parallel.For(0, n, i =>
        {
            var row = m.AsSpan(i * n, n);
            TensorPrimitives.Multiply(affinity.AsSpan(i * n, n), scale, row);
            TensorPrimitives.Multiply(row, scale[i], row);
        });
        return m;
    }
}
