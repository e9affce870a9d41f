namespace QuantaProbe.Onnx;

/// <summary>Row-major matrix transpose in cache-sized tiles, tile rows spread over the cores.</summary>
internal static class MatrixTranspose
{
    private const int Tile = 32;

    /// <summary>
    /// Writes the [cols, rows] transpose of the first rows×cols elements of <paramref name="m"/> [rows, cols]
    /// (a buffer may be longer) into <paramref name="t"/>.
    /// </summary>
    public static void Into(float[] m, int rows, int cols, float[] t)
    {
        long count = (long)rows * cols;
        if (m.LongLength < count || t.LongLength != count)
            throw new ArgumentException($"a {rows}×{cols} transpose from {m.LongLength} into {t.LongLength} values");
        int tileRows = (rows + Tile - 1) / Tile;
        Parallel.For(0, tileRows, tr => TileRow(m, t, rows, cols, tr * Tile, Math.Min(rows, tr * Tile + Tile)));
    }

    private static unsafe void TileRow(float[] m, float[] t, int rows, int cols, int r0, int r1)
    {
        fixed (float* source = m, target = t)
        {
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(cols, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    float* from = source + (long)r * cols;
                    float* to = target + r;
                    for (int c = c0; c < c1; c++)
                        to[(long)c * rows] = from[c];
                }
            }
        }
    }
}
