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

/// <summary>Some rows' sketches (row i is Sketches[i·Dimension ..]) and how many rows the parts hold in all.</summary>
public sealed record SelectedSketches(float[] Sketches, int Dimension, int TotalRows)
{
    public int Count => Dimension == 0 ? 0 : Sketches.Length / Dimension;
}

/// <summary>Reads gradients/&lt;model&gt;/part-*.parquet back.</summary>
public static class GradientsPartReader
{
    public static async Task<float[][]> ReadSketchesAsync(string folder)
    {
        var all = await ReadAsync(folder);
        return Enumerable.Range(0, all.Count).Select(i => all.Sketch(i).ToArray()).ToArray();
    }

    /// <summary>
    /// Reads every part into arrays of their exact final size (the footers give the counts first), so the sketches
    /// (N × K floats, GBs at 100,000 samples) are held once: never a growing list (up to twice them) and a copy.
    /// </summary>
    public static async Task<GradientSketches> ReadAsync(string folder)
    {
        var files = Directory.GetFiles(folder, PartFiles.Pattern).Order(StringComparer.Ordinal).ToArray();
        var (rows, values) = await CountAsync(files);
        var ids = new int[rows];
        var docs = new long[rows];
        var positions = new int[rows];
        var losses = new float[rows];
        // On the pinned-object heap, not the large-object heap: the collector sizes the large-object heap's allowance by what
        // survives there, so GBs of sketches would let the reader's short-lived page buffers pile up to GBs more before a
        // collection (measured at 71,952 sketches of 4,352: 5.1 GB peak RSS for 1.25 GB of sketches; pinned: 1.7 GB).
        var sketches = GC.AllocateUninitializedArray<float>(values, pinned: true);
        int row = 0, at = 0, dimension = -1;
        var levels = new Levels();
        await ForEachGroupAsync(files, async part =>
        {
            int n = part.Rows, count = part.Values;
            if (row + n > rows || at + count > values)
                throw new QuantaException($"{part.File}: changed while it was read; re-run the command once `quanta gradients` has finished");
            await part.ReadAsync(S.SampleId.Name, ids.AsMemory(row, n));
            await part.ReadAsync(S.DocId.Name, docs.AsMemory(row, n));
            await part.ReadAsync(S.Pos.Name, positions.AsMemory(row, n));
            await part.ReadAsync(S.Loss.Name, losses.AsMemory(row, n));
            dimension = await SketchColumnAsync(part, sketches.AsMemory(at, count), levels, dimension);
            row += n;
            at += count;
        });
        if (row != rows || at != values)
            throw new QuantaException($"{folder}: its parts changed while they were read; re-run the command once `quanta gradients` has finished");
        dimension = Math.Max(dimension, 0);
        var order = Enumerable.Range(0, rows).OrderBy(i => ids[i]).ToArray();
        if (order.Select((i, r) => (i, r)).All(p => p.i == p.r))
            return new GradientSketches(ids, docs, positions, losses, sketches, dimension);
        PermuteRows(sketches, order, dimension);
        return new GradientSketches(order.Select(i => ids[i]).ToArray(), order.Select(i => docs[i]).ToArray(), order.Select(i => positions[i]).ToArray(),
            order.Select(i => losses[i]).ToArray(), sketches, dimension);
    }

    /// <summary>
    /// The sketches of <paramref name="sampleIds"/>, in that order, read one row group at a time: a few rows of GBs of
    /// sketches (the report's similarity matrix) without holding them all.
    /// </summary>
    public static async Task<SelectedSketches> ReadRowsAsync(string folder, IReadOnlyList<int> sampleIds)
    {
        var files = Directory.GetFiles(folder, PartFiles.Pattern).Order(StringComparer.Ordinal).ToArray();
        var wanted = new Dictionary<int, int>(sampleIds.Count);
        for (int i = 0; i < sampleIds.Count; i++)
            if (!wanted.TryAdd(sampleIds[i], i))
                throw new ArgumentException($"sample {sampleIds[i]} is asked for twice", nameof(sampleIds));
        var seen = new bool[sampleIds.Count];
        float[] result = [], values = [];
        int[] ids = [];
        int rows = 0, found = 0, dimension = -1;
        var levels = new Levels();
        await ForEachGroupAsync(files, async part =>
        {
            int n = part.Rows, count = part.Values;
            if (ids.Length < n)
                ids = new int[n];
            if (values.Length < count)
                values = new float[count];
            await part.ReadAsync(S.SampleId.Name, ids.AsMemory(0, n));
            dimension = await SketchColumnAsync(part, values.AsMemory(0, count), levels, dimension);
            if (result.Length == 0)
                result = new float[(long)sampleIds.Count * dimension];
            for (int r = 0; r < n; r++)
            {
                if (!wanted.TryGetValue(ids[r], out int at) || seen[at])
                    continue;
                seen[at] = true;
                found++;
                values.AsSpan(r * dimension, dimension).CopyTo(result.AsSpan(at * dimension, dimension));
            }
            rows += n;
        });
        if (found != sampleIds.Count)
            throw new QuantaException($"{folder}: {sampleIds.Count - found:N0} of the {sampleIds.Count:N0} samples asked for are not in its parts; the gradients changed since `quanta decompose` ran: re-run it");
        return new SelectedSketches(result, Math.Max(dimension, 0), rows);
    }

    /// <summary>
    /// Reads one row group's sketch column (its lists' values into <paramref name="destination"/>) and returns the lists'
    /// length, which must be one length and <paramref name="dimension"/> where that is already known (≥ 0).
    /// </summary>
    private static async Task<int> SketchColumnAsync(PartGroup part, Memory<float> destination, Levels levels, int dimension)
    {
        int n = part.Rows, count = destination.Length;
        levels.Ensure(count);
        await part.Group.ReadRawAsync<float>(part.Sketch, destination, levels.Definition.AsMemory(0, count), levels.Repetition.AsMemory(0, count), default);
        int k = count / n;
        if (k * n != count || levels.Repetition.AsSpan(0, count).Count(0) != n || (dimension >= 0 && k != dimension))
            throw new QuantaException($"{part.File}: sketches are not {n} lists of one length; the part is corrupt, delete it and re-run `quanta gradients`");
        return k;
    }

    /// <summary>One nonempty row group of a part: its rows and its sketch column's value count.</summary>
    private sealed record PartGroup(ParquetRowGroupReader Group, ParquetSchema Schema, DataField Sketch, string File, int Rows, int Values)
    {
        public Task ReadAsync<T>(string column, Memory<T> destination) where T : struct => Column(Group, Schema, column, destination, File);
    }

    /// <summary>Every nonempty row group of <paramref name="files"/> in order; a part that does not read is one error naming it.</summary>
    private static async Task ForEachGroupAsync(string[] files, Func<PartGroup, Task> body)
    {
        foreach (var file in files)
        {
            try
            {
                await using var reader = await RunPartFile.OpenAsync(file, "quanta gradients");
                var field = Field(reader.Schema, S.Sketch.Name, file);
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    if (group.RowCount > 0)
                        await body(new PartGroup(group, reader.Schema, field, file, checked((int)group.RowCount), checked((int)group.GetMetadata(field)!.MetaData!.NumValues)));
                }
            }
            catch (Exception e) when (RunPartFile.IsCorruption(e))
            {
                throw RunPartFile.Unreadable(file, "quanta gradients", e);
            }
        }
    }

    /// <summary>The definition and repetition levels of a list column's values, reused across row groups.</summary>
    private sealed class Levels
    {
        public int[] Definition { get; private set; } = [];
        public int[] Repetition { get; private set; } = [];

        public void Ensure(int count)
        {
            if (Definition.Length < count)
                (Definition, Repetition) = (new int[count], new int[count]);
        }
    }

    /// <summary>Rows and sketch values of all parts, from their footers.</summary>
    private static async Task<(int Rows, int Values)> CountAsync(string[] files)
    {
        long rows = 0, values = 0;
        await ForEachGroupAsync(files, part =>
        {
            rows += part.Rows;
            values += part.Values;
            return Task.CompletedTask;
        });
        if (values > Array.MaxLength)
            throw new QuantaException($"{Path.GetDirectoryName(files[0])}: {values:N0} sketch values ({rows:N0} samples) are more than one array holds; select fewer tokens (`quanta gradients --n`) or a smaller sketch (--k-in, --k-out)");
        return ((int)rows, (int)values);
    }

    /// <summary>Row r becomes the row that was at <paramref name="order"/>[r], in place (following the permutation's cycles).</summary>
    internal static void PermuteRows(float[] values, int[] order, int dimension)
    {
        var placed = new bool[order.Length];
        var held = new float[dimension];
        Span<float> Row(int r) => values.AsSpan(r * dimension, dimension);
        for (int start = 0; start < order.Length; start++)
        {
            if (placed[start] || order[start] == start)
                continue;
            Row(start).CopyTo(held);
            int r = start;
            while (true)
            {
                placed[r] = true;
                int from = order[r];
                if (from == start)
                {
                    held.CopyTo(Row(r));
                    break;
                }
                Row(from).CopyTo(Row(r));
                r = from;
            }
        }
    }

    private static DataField Field(ParquetSchema schema, string name, string file) =>
        schema.DataFields.FirstOrDefault(f => f.Name == name)
        ?? throw new QuantaException($"{file}: no column '{name}'; not a gradients part of this version, re-run `quanta gradients`");

    private static async Task Column<T>(ParquetRowGroupReader group, ParquetSchema schema, string name, Memory<T> values, string file) where T : struct =>
        await group.ReadAsync(Field(schema, name, file), values, null, default);
}
