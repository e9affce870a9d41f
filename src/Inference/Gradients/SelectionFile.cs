using QuantaProbe.Core.Contracts;
using Parquet;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Gradients.Selection;
using S = QuantaProbe.Core.Parquet.RunSchemas.Gradients;

namespace QuantaProbe.Gradients;

/// <summary>
/// gradients/&lt;model&gt;/selection.parquet: the chosen tokens, sample_id = row. Written once, atomically;
/// a later run with other selection settings is refused instead of mixing two selections.
/// </summary>
internal static class SelectionFile
{
    private const string SettingsKey = MetadataKeys.Selection;

    public static async Task<List<SelectedToken>?> TryReadAsync(string path, string settings)
    {
        if (!File.Exists(path))
            return null;
        await using var reader = await RunPartFile.OpenAsync(path, "quanta gradients");
        reader.CustomMetadata.TryGetValue(SettingsKey, out var written);
        if (written != settings)
            throw new QuantaException($"{path}: written for selection {written ?? "(unknown)"}, this run asks for {settings}; use the same settings, or delete {Path.GetDirectoryName(path)}");
        var result = new List<SelectedToken>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var docs = new long[group.RowCount];
            var positions = new int[group.RowCount];
            var losses = new float[group.RowCount];
            await group.ReadAsync<long>(S.DocId, docs.AsMemory(), null, default);
            await group.ReadAsync<int>(S.Pos, positions.AsMemory(), null, default);
            await group.ReadAsync<float>(S.SelectionLoss, losses.AsMemory(), null, default);
            for (int i = 0; i < docs.Length; i++)
                result.Add(new SelectedToken(docs[i], positions[i], losses[i]));
        }
        return result;
    }

    public static async Task WriteAsync(string path, IReadOnlyList<SelectedToken> tokens, string settings)
    {
        await AtomicFile.WriteAsync(path, async stream =>
        {
            await using var writer = await ParquetWriter.CreateAsync(S.SelectionSchema, stream);
            writer.CustomMetadata = new Dictionary<string, string> { [SettingsKey] = settings };
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(S.SampleId, (ReadOnlyMemory<int>)Enumerable.Range(0, tokens.Count).ToArray());
            await group.WriteAsync(S.DocId, (ReadOnlyMemory<long>)tokens.Select(t => t.DocId).ToArray());
            await group.WriteAsync(S.Pos, (ReadOnlyMemory<int>)tokens.Select(t => t.Pos).ToArray());
            await group.WriteAsync(S.SelectionLoss, (ReadOnlyMemory<float>)tokens.Select(t => t.SelectionLoss).ToArray());
        });
    }
}
