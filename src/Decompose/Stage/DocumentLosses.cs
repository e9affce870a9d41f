using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// One model's losses summed per document (and the token counts), the unit the bootstrap
/// resamples; the mean loss of a resample is Σ w_d·sum_d / Σ w_d·count_d.
/// </summary>
public sealed class DocumentLosses(double[] sums, long[] counts)
{
    public double[] Sums { get; } = sums;
    public long[] Counts { get; } = counts;

    public double Mean(int[]? weights = null)
    {
        double s = 0, c = 0;
        for (int d = 0; d < Sums.Length; d++)
        {
            int w = weights?[d] ?? 1;
            s += w * Sums[d];
            c += w * Counts[d];
        }
        return c == 0 ? double.NaN : s / c;
    }

    /// <summary>No documents' losses yet; <see cref="Add"/> adds them part by part.</summary>
    public static DocumentLosses Empty(long documents) => new(new double[documents], new long[documents]);

    /// <summary>Adds one losses part (read from <paramref name="path"/>) to its documents' sums and counts.</summary>
    public void Add(LossesPart part, string path)
    {
        for (int i = 0; i < part.Losses.Length; i++)
        {
            long d = part.DocIds[i];
            if (d < 0 || d >= Sums.Length)
                throw new QuantaException($"{path}: doc_id {d} is outside the {Sums.Length} ingested documents; the losses belong to another ingest, re-run `quanta infer`");
            Sums[d] += part.Losses[i];
            Counts[d]++;
        }
    }
}
