using QuantaProbe.Core.Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Infer;

/// <summary>Writes one context probe part (the targets of one context length, in document then position order), atomically.</summary>
internal static class ContextProbePartWriter
{
    public static async Task WriteAsync(string folder, long part, IReadOnlyList<ContextProbeTarget> rows, IReadOnlyDictionary<string, string> metadata)
    {
        await using var writer = await ParquetPartWriter.CreateAsync(folder, part, S.Context.Schema, metadata);
        for (int first = 0; first < rows.Count || first == 0; first += ParquetPartWriter.RowGroupRows)
        {
            var group = rows.Skip(first).Take(ParquetPartWriter.RowGroupRows).ToArray();
            await writer.WriteRowGroupAsync(async g =>
            {
                await g.WriteAsync(S.Context.ContextLength, Column(group, r => r.ContextLength));
                await g.WriteAsync(S.Context.DocId, Column(group, r => r.DocId));
                await g.WriteAsync(S.Context.Pos, Column(group, r => r.Pos));
                await g.WriteAsync(S.Context.TokenId, Column(group, r => r.TokenId));
                await g.WriteAsync(S.Context.Loss, Column(group, r => r.Loss));
                await g.WriteAsync(S.Context.Entropy, Column(group, r => r.Entropy));
            });
        }
        await writer.CompleteAsync();
    }

    private static ReadOnlyMemory<T> Column<T>(ContextProbeTarget[] rows, Func<ContextProbeTarget, T> field) => rows.Select(field).ToArray();
}
