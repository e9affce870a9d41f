using QuantaProbe.Core.Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas.Gradients;

namespace QuantaProbe.Gradients;

/// <summary>One scored sample: its selection row and its gradient sketch (fixed length K).</summary>
internal readonly record struct GradientRow(int SampleId, long DocId, int Pos, float Loss, float[] Sketch);

/// <summary>Writes one gradients part: rows in sample_id order, the sketch as a list&lt;float32&gt; column.</summary>
internal static class GradientsPartWriter
{
    public static async Task WriteAsync(string folder, long part, IReadOnlyList<GradientRow> rows, IReadOnlyDictionary<string, string> metadata)
    {
        await using var writer = await ParquetPartWriter.CreateAsync(folder, part, S.Schema, metadata);
        int k = rows.Count == 0 ? 0 : rows[0].Sketch.Length;
        var flat = new float[(long)rows.Count * k];
        var repetition = new int[flat.Length];
        for (int r = 0; r < rows.Count; r++)
        {
            if (rows[r].Sketch.Length != k)
                throw new InvalidOperationException($"sample {rows[r].SampleId} has a sketch of {rows[r].Sketch.Length} values, not {k}");
            rows[r].Sketch.CopyTo(flat, (long)r * k);
            repetition.AsSpan(r * k + 1, k - 1).Fill(1); // level 0 opens a row, 1 continues its list
        }
        await writer.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(S.SampleId, (ReadOnlyMemory<int>)rows.Select(r => r.SampleId).ToArray());
            await g.WriteAsync(S.DocId, (ReadOnlyMemory<long>)rows.Select(r => r.DocId).ToArray());
            await g.WriteAsync(S.Pos, (ReadOnlyMemory<int>)rows.Select(r => r.Pos).ToArray());
            await g.WriteAsync(S.Loss, (ReadOnlyMemory<float>)rows.Select(r => r.Loss).ToArray());
            await g.WriteAsync(S.Sketch, (ReadOnlyMemory<float>)flat, (ReadOnlyMemory<int>)repetition);
        });
        await writer.CompleteAsync();
    }
}
