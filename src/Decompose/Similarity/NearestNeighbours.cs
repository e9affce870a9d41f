using QuantaProbe.Onnx;

namespace QuantaProbe.Decompose.Similarity;

/// <summary>
/// Every vector's <see cref="M"/> most similar others by sign-invariant |cosine|: row i of
/// <see cref="Neighbours"/> and <see cref="Similarities"/> (m values each), most similar first.
/// </summary>
public sealed record NeighbourGraph(int Count, int M, int[] Neighbours, float[] Similarities);

/// <summary>
/// Exact m nearest neighbours (largest |cosine|) of N unit vectors without the N×N matrix: the
/// product U·Uᵀ is formed one tile of <see cref="Tile"/>×<see cref="Tile"/> at a time by ONNX Runtime's
/// SGEMM, for tiles on and above the diagonal only (|cos| is symmetric: each tile serves its rows and
/// its columns), and each row keeps its m best in a min-heap whose root is the bar a new value must beat.
/// Memory: the vectors, one tile and N·m neighbours.
/// </summary>
public static class NearestNeighbours
{
    public const int Tile = 2048;

    /// <param name="unit">N row vectors of <paramref name="length"/>, each of norm 1 (or 0), as <see cref="CosineMatrix.Normalized"/> makes them.</param>
    public static NeighbourGraph Compute(float[] unit, int count, int length, int m, int threads = 0, Action<double>? progress = null)
    {
        if ((long)count * length != unit.Length)
            throw new ArgumentException($"{unit.Length} values are not {count} vectors of {length}");
        m = Math.Min(m, count - 1);
        if (m < 1)
            throw new ArgumentException($"nearest neighbours need at least two vectors, not {count}");
        var heapValues = new float[(long)count * m];
        var heapIndices = new int[(long)count * m];
        Array.Fill(heapValues, -1f);
        Array.Fill(heapIndices, -1);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        int tiles = (count + Tile - 1) / Tile;
        var product = new float[(long)Math.Min(Tile, count) * Math.Min(Tile, count)];
        long done = 0, total = (long)tiles * (tiles + 1) / 2;
        using (var gemm = new MatrixProduct(transposeB: true, intraOpThreads: threads > 0 ? threads : null))
        {
            for (int ti = 0; ti < tiles; ti++)
            {
                int i0 = ti * Tile, rows = Math.Min(Tile, count - i0);
                for (int tj = ti; tj < tiles; tj++)
                {
                    int j0 = tj * Tile, columns = Math.Min(Tile, count - j0);
                    var tile = product.AsMemory(0, rows * columns);
                    gemm.Multiply(unit.AsMemory(i0 * length, rows * length), unit.AsMemory(j0 * length, columns * length), tile, rows, columns, length);
                    // Rows of the tile update rows i0…; its columns (above the diagonal) update rows j0….
                    Parallel.For(0, rows, parallel, r =>
                    {
                        var values = product.AsSpan(r * columns, columns);
                        int self = i0 + r;
                        for (int c = 0; c < values.Length; c++)
                            if (j0 + c != self)
                                Offer(heapValues, heapIndices, m, self, MathF.Abs(values[c]), j0 + c);
                    });
                    if (tj != ti)
                    {
                        const int Chunk = 64;
                        Parallel.For(0, (columns + Chunk - 1) / Chunk, parallel, chunk =>
                        {
                            int c0 = chunk * Chunk, c1 = Math.Min(columns, c0 + Chunk);
                            for (int r = 0; r < rows; r++)
                            {
                                var values = product.AsSpan(r * columns, columns);
                                for (int c = c0; c < c1; c++)
                                    Offer(heapValues, heapIndices, m, j0 + c, MathF.Abs(values[c]), i0 + r);
                            }
                        });
                    }
                    progress?.Invoke(++done / (double)total);
                }
            }
        }
        Parallel.For(0, count, parallel, i => SortDescending(heapValues.AsSpan(i * m, m), heapIndices.AsSpan(i * m, m)));
        return new NeighbourGraph(count, m, heapIndices, heapValues);
    }

    /// <summary>Row <paramref name="row"/>'s heap of its m best keeps <paramref name="value"/> if it beats the root (the m-th best so far).</summary>
    private static void Offer(float[] heapValues, int[] heapIndices, int m, int row, float value, int index)
    {
        int start = row * m;
        if (!(value > heapValues[start]))
            return;
        // Replace the root and sift it down the min-heap.
        int hole = 0;
        while (true)
        {
            int child = 2 * hole + 1;
            if (child >= m)
                break;
            if (child + 1 < m && heapValues[start + child + 1] < heapValues[start + child])
                child++;
            if (heapValues[start + child] >= value)
                break;
            heapValues[start + hole] = heapValues[start + child];
            heapIndices[start + hole] = heapIndices[start + child];
            hole = child;
        }
        heapValues[start + hole] = value;
        heapIndices[start + hole] = index;
    }

    private static void SortDescending(Span<float> values, Span<int> indices)
    {
        values.Sort(indices);
        values.Reverse();
        indices.Reverse();
    }
}
