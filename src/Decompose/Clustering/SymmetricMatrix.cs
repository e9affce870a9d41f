using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>Products of a dense symmetric N×N matrix (row-major floats) with blocks of vectors.</summary>
internal static class SymmetricMatrix
{
    /// <summary>result[j] = M · block[j] for each of the b vectors (stored as b rows of length N).</summary>
    public static float[][] Times(float[] m, int n, float[][] block)
    {
        var result = block.Select(_ => new float[n]).ToArray();
        Parallel.For(0, (n + 63) / 64, tile =>
        {
            int end = Math.Min(n, (tile + 1) * 64);
            for (int i = tile * 64; i < end; i++)
            {
                var row = m.AsSpan(i * n, n);
                for (int j = 0; j < block.Length; j++)
                    result[j][i] = TensorPrimitives.Dot(row, block[j]);
            }
        });
        return result;
    }
}
