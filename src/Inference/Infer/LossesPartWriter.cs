using QuantaProbe.Core.Parquet;
using QuantaProbe.Models.Runtime;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Infer;

/// <summary>Writes one losses part: a row per predicted token (pos ≥ 1), in doc_id then pos order.</summary>
internal static class LossesPartWriter
{
    public static async Task WriteAsync(string folder, long part, List<DocumentTokens> docs, SequenceLosses[] losses, IReadOnlyDictionary<string, string> metadata)
    {
        long rows = losses.Sum(l => (long)l.Loss.Length);
        await using var writer = await ParquetPartWriter.CreateAsync(folder, part, S.Losses.Schema, metadata);
        int size = (int)Math.Min(rows, ParquetPartWriter.RowGroupRows);
        var docIds = new long[size];
        var positions = new int[size];
        var loss = new float[size];
        var entropy = new float[size];
        int filled = 0;
        async Task FlushAsync()
        {
            int n = filled;
            await writer.WriteRowGroupAsync(async g =>
            {
                await g.WriteAsync(S.Losses.DocId, new ReadOnlyMemory<long>(docIds, 0, n));
                await g.WriteAsync(S.Losses.Pos, new ReadOnlyMemory<int>(positions, 0, n));
                await g.WriteAsync(S.Losses.Loss, new ReadOnlyMemory<float>(loss, 0, n));
                await g.WriteAsync(S.Losses.Entropy, new ReadOnlyMemory<float>(entropy, 0, n));
            });
            filled = 0;
        }
        for (int d = 0; d < docs.Count; d++)
        {
            var l = losses[d];
            for (int t = 0; t < l.Loss.Length; t++)
            {
                docIds[filled] = docs[d].DocId;
                positions[filled] = l.FirstPosition + t;
                loss[filled] = l.Loss[t];
                entropy[filled] = l.Entropy[t];
                if (++filled == size)
                    await FlushAsync();
            }
        }
        if (filled > 0 || rows == 0)
            await FlushAsync();
        await writer.CompleteAsync();
    }
}
