using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Similarity;

/// <summary>
/// The Quantization Model's second signal for "same quantum": a quantum is learned at one scale, so
/// samples that rely on it share their loss curve across model sizes. A sample's curve is its loss under
/// each size, capped at <see cref="CapNats"/> (1 bit: above it counts as not learned) and divided by the
/// cap; the distance of two curves is their root-mean-square difference, in [0, 1].
/// </summary>
public static class LossCurveDistance
{
    public static readonly float CapNats = MathF.Log(2);

    /// <summary>Caps and scales raw losses (sample-major, <paramref name="models"/> per sample) in place.</summary>
    public static void NormalizeInPlace(float[] losses)
    {
        for (int i = 0; i < losses.Length; i++)
            losses[i] = Math.Clamp(losses[i], 0f, CapNats) / CapNats;
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × the curve distance to an m×m distance matrix whose row i is
    /// sample <paramref name="rows"/>[i] of <paramref name="curves"/> (<paramref name="models"/> values a sample).
    /// </summary>
    public static void AddInPlace(float[] distances, int[] rows, float[] curves, int models, float weight)
    {
        int m = rows.Length;
        if (distances.Length != (long)m * m)
            throw new ArgumentException($"the distance matrix holds {distances.Length} values, not {m}×{m}");
        float scale = weight / MathF.Sqrt(models); // RMS = Euclidean distance / √models
        Parallel.For(0, m, i =>
        {
            var a = curves.AsSpan(rows[i] * models, models);
            var row = distances.AsSpan((int)((long)i * m), m);
            for (int j = 0; j < m; j++)
                row[j] += scale * TensorPrimitives.Distance(a, curves.AsSpan(rows[j] * models, models));
        });
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × the curve distance to each edge of a neighbour graph: row i (sample
    /// <paramref name="rows"/>[i]) holds <paramref name="m"/> neighbours, indices into <paramref name="rows"/> (−1 for none).
    /// </summary>
    public static void AddToEdges(float[] distances, int[] neighbours, int m, int[] rows, float[] curves, int models, float weight)
    {
        float scale = weight / MathF.Sqrt(models);
        Parallel.For(0, rows.Length, i =>
        {
            var a = curves.AsSpan(rows[i] * models, models);
            for (int e = i * m; e < (i + 1) * m; e++)
                if (neighbours[e] >= 0)
                    distances[e] += scale * TensorPrimitives.Distance(a, curves.AsSpan(rows[neighbours[e]] * models, models));
        });
    }
}
