namespace QuantaProbe.Decompose.Similarity;

public static class Pearson
{
    /// <summary>Pearson correlation of two equally long series, accumulated in double.</summary>
    public static double Correlation(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (x.Length != y.Length || x.Length < 2)
            throw new ArgumentException("Pearson correlation needs two series of the same length, at least 2");
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length; my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>The strict upper triangle of a row-major N×N matrix, as one series.</summary>
    public static float[] UpperTriangle(ReadOnlySpan<float> matrix, int n)
    {
        var values = new float[(long)n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                values[k++] = matrix[i * n + j];
        return values;
    }
}
