using Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Core.Parquet;

/// <summary>The rows of one losses/&lt;model&gt; part, column by column.</summary>
public sealed record LossesPart(long[] DocIds, int[] Positions, float[] Losses);

public static class LossesPartReader
{
    public static async Task<LossesPart> ReadAsync(string path)
    {
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path);
            long rows = reader.Metadata?.NumRows ?? 0;
            var docIds = new long[rows];
            var positions = new int[rows];
            var losses = new float[rows];
            int at = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                await group.ReadAsync<long>(S.Losses.DocId, docIds.AsMemory(at, n), null, default);
                await group.ReadAsync<int>(S.Losses.Pos, positions.AsMemory(at, n), null, default);
                await group.ReadAsync<float>(S.Losses.Loss, losses.AsMemory(at, n), null, default);
                at += n;
            }
            return new LossesPart(docIds, positions, losses);
        }
        catch (Exception e) when (e is IOException or ParquetException or InvalidDataException or OverflowException or ArgumentException)
        {
            throw new QuantaException($"{path}: unreadable losses part ({e.Message}); delete it and re-run `quanta infer`");
        }
    }
}
