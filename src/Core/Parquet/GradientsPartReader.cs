using Parquet;
using Parquet.Schema;
using QuantaProbe.Core;
using S = QuantaProbe.Core.Parquet.RunSchemas.Gradients;

namespace QuantaProbe.Core.Parquet;

/// <summary>All rows of gradients/&lt;model&gt;/part-*, in sample_id order; sketch i is Sketches[i·Dimension ..].</summary>
public sealed record GradientSketches(int[] SampleIds, long[] DocIds, int[] Positions, float[] Losses, float[] Sketches, int Dimension)
{
    public int Count => SampleIds.Length;

    public ReadOnlySpan<float> Sketch(int i) => Sketches.AsSpan(i * Dimension, Dimension);
}

/// <summary>Reads gradients/&lt;model&gt;/part-*.parquet back.</summary>
public static class GradientsPartReader
{
    public static async Task<float[][]> ReadSketchesAsync(string folder)
    {
        var all = await ReadAsync(folder);
        return Enumerable.Range(0, all.Count).Select(i => all.Sketch(i).ToArray()).ToArray();
    }

    public static async Task<GradientSketches> ReadAsync(string folder)
    {
        var ids = new List<int>();
        var docs = new List<long>();
        var positions = new List<int>();
        var losses = new List<float>();
        var sketches = new List<float>();
        int dimension = -1;
        foreach (var file in Directory.GetFiles(folder, PartFiles.Pattern).Order(StringComparer.Ordinal))
        {
            try
            {
                await using var reader = await RunPartFile.OpenAsync(file, "quanta gradients");
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    int n = checked((int)group.RowCount);
                    if (n == 0)
                        continue;
                    ids.AddRange(await Column<int>(group, reader.Schema, S.SampleId.Name, n, file));
                    docs.AddRange(await Column<long>(group, reader.Schema, S.DocId.Name, n, file));
                    positions.AddRange(await Column<int>(group, reader.Schema, S.Pos.Name, n, file));
                    losses.AddRange(await Column<float>(group, reader.Schema, S.Loss.Name, n, file));
                    var field = Field(reader.Schema, S.Sketch.Name, file);
                    var flat = new float[group.GetMetadata(field)!.MetaData!.NumValues];
                    var definition = new int[flat.Length];
                    var repetition = new int[flat.Length];
                    await group.ReadRawAsync<float>(field, flat.AsMemory(), definition.AsMemory(), repetition.AsMemory(), default);
                    int k = flat.Length / n;
                    if (k * n != flat.Length || repetition.Count(r => r == 0) != n || (dimension >= 0 && k != dimension))
                        throw new QuantaException($"{file}: sketches are not {n} lists of one length; the part is corrupt, delete it and re-run `quanta gradients`");
                    dimension = k;
                    sketches.AddRange(flat);
                }
            }
            catch (Exception e) when (RunPartFile.IsCorruption(e))
            {
                throw RunPartFile.Unreadable(file, "quanta gradients", e);
            }
        }
        var order = Enumerable.Range(0, ids.Count).OrderBy(i => ids[i]).ToArray();
        if (order.Select((i, r) => (i, r)).All(p => p.i == p.r))
            return new GradientSketches(ids.ToArray(), docs.ToArray(), positions.ToArray(), losses.ToArray(), sketches.ToArray(), Math.Max(dimension, 0));
        var sorted = new float[sketches.Count];
        for (int r = 0; r < order.Length; r++)
            sketches.CopyTo(order[r] * dimension, sorted, r * dimension, dimension);
        return new GradientSketches(order.Select(i => ids[i]).ToArray(), order.Select(i => docs[i]).ToArray(), order.Select(i => positions[i]).ToArray(),
            order.Select(i => losses[i]).ToArray(), sorted, dimension);
    }

    private static DataField Field(ParquetSchema schema, string name, string file) =>
        schema.DataFields.FirstOrDefault(f => f.Name == name)
        ?? throw new QuantaException($"{file}: no column '{name}'; not a gradients part of this version, re-run `quanta gradients`");

    private static async Task<T[]> Column<T>(ParquetRowGroupReader group, ParquetSchema schema, string name, int n, string file) where T : struct
    {
        var values = new T[n];
        await group.ReadAsync(Field(schema, name, file), values.AsMemory(), null, default);
        return values;
    }
}
