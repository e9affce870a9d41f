namespace QuantaProbe.Decompose.Qdg;

/// <summary>
/// The exact dense QDG on a seeded random subsample of the paper's 10,000 samples: what the paper's
/// method sees of the same gradients, beside a nearest-neighbour QDG of all of them.
/// </summary>
public static class QdgSubsample
{
    /// <param name="options">The full run's options: its k (as given, not scaled to N), seed and resamples.</param>
    public static QdgResult Run(ReadOnlySpan<float> sketches, int count, int dimension, QdgOptions options, float[]? curves = null, int curveModels = 0)
    {
        int samples = Math.Min(QdgOptions.PaperSamples, count);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(options.Seed).Shuffle(order);
        var rows = order[..samples];
        Array.Sort(rows);
        var subset = new float[(long)samples * dimension];
        for (int i = 0; i < samples; i++)
            sketches.Slice(rows[i] * dimension, dimension).CopyTo(subset.AsSpan(i * dimension, dimension));
        float[]? subsetCurves = null;
        if (options.CurveWeight > 0)
        {
            subsetCurves = new float[samples * curveModels];
            for (int i = 0; i < samples; i++)
                curves.AsSpan(rows[i] * curveModels, curveModels).CopyTo(subsetCurves.AsSpan(i * curveModels, curveModels));
        }
        return QdgAnalysis.Run(subset, samples, dimension, options with { DenseLimit = Math.Max(options.DenseLimit, samples) }, null, subsetCurves, curveModels);
    }
}
