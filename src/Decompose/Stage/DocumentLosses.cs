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

    public static async Task<DocumentLosses> ReadAsync(string lossesFolder, long parts, long documents)
    {
        var sums = new double[documents];
        var counts = new long[documents];
        for (long p = 0; p < parts; p++)
        {
            var part = await RequiredLossesPart.ReadAsync(lossesFolder, p);
            for (int i = 0; i < part.Losses.Length; i++)
            {
                long d = part.DocIds[i];
                if (d < 0 || d >= documents)
                    throw new QuantaException($"{PartFiles.PathOf(lossesFolder, p)}: doc_id {d} is outside the {documents} ingested documents; the losses belong to another ingest, re-run `quanta infer`");
                sums[d] += part.Losses[i];
                counts[d]++;
            }
        }
        return new DocumentLosses(sums, counts);
    }
}
