using System.Numerics.Tensors;
using QuantaProbe.Onnx;

namespace QuantaProbe.Decompose.Similarity;

/// <summary>
/// Pairwise cosine similarities of N vectors of length K, as a dense symmetric N×N matrix
/// (row-major). Rows are normalised once, then C = U·Uᵀ by ONNX Runtime's SGEMM (MLAS, blocked and
/// multi-threaded); the upper triangle is mirrored so the result is exactly symmetric, and values are
/// clamped to [−1, 1].
/// </summary>
public static class CosineMatrix
{
    public static float[] Compute(ReadOnlySpan<float> vectors, int count, int length, int threads = 0)
    {
        if ((long)count * length != vectors.Length)
            throw new ArgumentException($"{vectors.Length} values are not {count} vectors of {length}");
        var unit = Normalized(vectors, count, length);
        var result = new float[(long)count * count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        using (var product = new MatrixProduct(transposeB: true, intraOpThreads: threads > 0 ? threads : null))
            product.Multiply(unit, unit, result, count, count, length);
        Parallel.For(0, count, parallel, i =>
        {
            var row = result.AsSpan((int)((long)i * count), count);
            row[i] = Math.Clamp(row[i], -1f, 1f);
            for (int j = i + 1; j < count; j++)
                row[j] = Math.Clamp(row[j], -1f, 1f);
        });
        // Mirror tile by tile (a plain column walk would miss the cache on every read).
        const int Tile = 64;
        Parallel.For(0, (count + Tile - 1) / Tile, parallel, ti =>
        {
            int iEnd = Math.Min(count, (ti + 1) * Tile);
            for (int j0 = 0; j0 <= ti * Tile; j0 += Tile)
                for (int i = ti * Tile; i < iEnd; i++)
                    for (int j = j0, jEnd = Math.Min(i, j0 + Tile); j < jEnd; j++)
                        result[(long)i * count + j] = result[(long)j * count + i];
        });
        return result;
    }

    /// <summary>Each vector divided by its L2 norm (however small its entries); a zero vector stays zero (cosine 0 with everything, 0 with itself).</summary>
    public static float[] Normalized(ReadOnlySpan<float> vectors, int count, int length)
    {
        var unit = vectors.ToArray();
        NormalizeInPlace(unit, count, length);
        return unit;
    }

    /// <summary>As <see cref="Normalized"/>, in place (saves a copy of the vectors).</summary>
    public static void NormalizeInPlace(float[] unit, int count, int length)
    {
        if ((long)count * length != unit.Length)
            throw new ArgumentException($"{unit.Length} values are not {count} vectors of {length}");
        for (int i = 0; i < count; i++)
        {
            var row = unit.AsSpan((int)((long)i * length), length);
            // Rescale by the largest magnitude first: the gradients of very confident predictions are so
            // small (1e-25) that their squares underflow float32 and the norm would come out 0.
            float scale = 0;
            foreach (float x in row)
                scale = MathF.Max(scale, MathF.Abs(x));
            if (!(scale > 0))
                continue;
            TensorPrimitives.Divide(row, scale, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
        }
    }
}
