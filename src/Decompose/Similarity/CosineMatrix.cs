using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Similarity;

/// <summary>
/// Pairwise cosine similarities of N vectors of length K, as a dense symmetric N×N matrix
/// (row-major). Rows are normalised once, then the upper triangle is filled tile by tile with
/// SIMD dot products (TensorPrimitives), tiles spread over the cores; a tile of rows stays in cache
/// while it meets every other tile.
/// </summary>
public static class CosineMatrix
{
    private const int Tile = 64;

    public static float[] Compute(ReadOnlySpan<float> vectors, int count, int length, int threads = 0)
    {
        if ((long)count * length != vectors.Length)
            throw new ArgumentException($"{vectors.Length} values are not {count} vectors of {length}");
        var unit = Normalized(vectors, count, length);
        var result = new float[(long)count * count];
        int tiles = (count + Tile - 1) / Tile;
        var pairs = new List<(int, int)>();
        for (int a = 0; a < tiles; a++)
            for (int b = a; b < tiles; b++)
                pairs.Add((a, b));
        Parallel.ForEach(pairs, new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount }, pair =>
        {
            var (a, b) = pair;
            int aEnd = Math.Min(count, (a + 1) * Tile), bEnd = Math.Min(count, (b + 1) * Tile);
            for (int i = a * Tile; i < aEnd; i++)
            {
                var row = unit.AsSpan(i * length, length);
                for (int j = Math.Max(b * Tile, a == b ? i : 0); j < bEnd; j++)
                {
                    float c = Math.Clamp(TensorPrimitives.Dot(row, unit.AsSpan(j * length, length)), -1f, 1f);
                    result[(long)i * count + j] = c;
                    result[(long)j * count + i] = c;
                }
            }
        });
        return result;
    }

    /// <summary>Each vector divided by its L2 norm; a zero vector stays zero (cosine 0 with everything, 0 with itself).</summary>
    public static float[] Normalized(ReadOnlySpan<float> vectors, int count, int length)
    {
        var unit = vectors.ToArray();
        for (int i = 0; i < count; i++)
        {
            var row = unit.AsSpan(i * length, length);
            float norm = TensorPrimitives.Norm(row);
            if (norm > 0)
                TensorPrimitives.Divide(row, norm, row);
        }
        return unit;
    }
}
