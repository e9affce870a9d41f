using Parquet;
using QuantaProbe.Core;
using S = QuantaProbe.Core.Parquet.RunSchemas.Gradients;

namespace QuantaProbe.Inference.GradientStage;

/// <summary>Reads the sketches of gradients/&lt;model&gt;/part-*.parquet back, in sample_id order.</summary>
public static class GradientsPartReader
{
    public static async Task<float[][]> ReadSketchesAsync(string folder)
    {
        var rows = new List<float[]>();
        foreach (var file in Directory.GetFiles(folder, PartFiles.Pattern).Order(StringComparer.Ordinal))
        {
            await using var reader = await ParquetReader.CreateAsync(file);
            var field = reader.Schema.DataFields.Single(f => f.Name == S.Sketch.Name);
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int n = checked((int)group.RowCount);
                if (n == 0)
                    continue;
                var flat = new float[group.GetMetadata(field)!.MetaData!.NumValues];
                var definition = new int[flat.Length];
                var repetition = new int[flat.Length];
                await group.ReadRawAsync<float>(field, flat.AsMemory(), definition.AsMemory(), repetition.AsMemory(), default);
                int k = flat.Length / n;
                if (k * n != flat.Length || repetition.Count(r => r == 0) != n)
                    throw new QuantaException($"{file}: sketches are not {n} lists of one length; the part is corrupt, delete it and re-run `quanta gradients`");
                for (int i = 0; i < n; i++)
                    rows.Add(flat.AsSpan(i * k, k).ToArray());
            }
        }
        return rows.ToArray();
    }
}
