namespace QuantaProbe.Onnx;

/// <summary>Row-major matrix transpose in cache-sized tiles, tile rows spread over the cores.</summary>
internal static class MatrixTranspose
{
    private const int Tile = 64;

    /// <summary>The [cols, rows] transpose of <paramref name="m"/> [rows, cols].</summary>
    public static float[] Of(float[] m, int rows, int cols)
    {
        if (m.LongLength != (long)rows * cols)
            throw new ArgumentException($"{m.LongLength} values are not a {rows}×{cols} matrix", nameof(m));
        var t = new float[m.LongLength];
        int tileRows = (rows + Tile - 1) / Tile;
        Parallel.For(0, tileRows, tr =>
        {
            int r0 = tr * Tile, r1 = Math.Min(rows, r0 + Tile);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(cols, c0 + Tile);
                for (int r = r0; r < r1; r++)
                {
                    long from = (long)r * cols;
                    for (int c = c0; c < c1; c++)
                        t[(long)c * rows + r] = m[from + c];
                }
            }
        });
        return t;
    }
}
