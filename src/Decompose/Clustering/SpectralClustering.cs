using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// Spectral clustering of a dense affinity (Ng–Jordan–Weiss): normalised affinity D^-1/2 A D^-1/2,
/// its top-k eigenvectors by subspace iteration, rows of the embedding normalised to unit length,
/// then k-means++ with several seeded restarts.
/// </summary>
public static class SpectralClustering
{
    public static int[] Cluster(float[] affinity, int n, int k, int seed = 0, int restarts = 10)
    {
        if (affinity.Length != (long)n * n)
            throw new ArgumentException($"the affinity holds {affinity.Length} values, not {n}×{n}");
        if (k < 1 || k > n)
            throw new ArgumentException($"k = {k} clusters of {n} points");
        if (k == 1)
            return new int[n];
        var normalized = Normalize(affinity, n);
        var (_, vectors) = TopEigenvectors.Compute(normalized, n, k, seed);
        var embedding = new float[n][];
        for (int i = 0; i < n; i++)
        {
            var row = new float[k];
            for (int j = 0; j < k; j++)
                row[j] = vectors[j][i];
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
                TensorPrimitives.Divide(row, norm, row);
            embedding[i] = row;
        }
        return KMeans.Cluster(embedding, k, restarts, seed);
    }

    private static float[] Normalize(float[] affinity, int n)
    {
        var scale = new float[n];
        for (int i = 0; i < n; i++)
        {
            float degree = TensorPrimitives.Sum(affinity.AsSpan(i * n, n));
            scale[i] = degree > 0 ? 1f / MathF.Sqrt(degree) : 0f;
        }
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
