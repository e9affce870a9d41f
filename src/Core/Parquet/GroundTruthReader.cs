using Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Core.Parquet;

/// <summary>The true subtask of every document, when the run's documents carry one (data with planted quanta).</summary>
public static class GroundTruthReader
{
    /// <summary>doc_id → subtask, or null when the documents have no <c>subtask</c> column (real corpora).</summary>
    public static async Task<Dictionary<long, int>?> ReadAsync(string runFolder, long parts)
    {
        var folder = Path.Combine(runFolder, S.Documents.Folder);
        Dictionary<long, int>? result = null;
        for (long p = 0; p < parts; p++)
        {
            var path = PartFiles.PathOf(folder, p);
            if (!File.Exists(path))
                throw new QuantaException($"{path}: not found; the documents of this run are incomplete: re-run `quanta ingest` (`quanta toy sparse-parity` for a toy run), which rewrites the missing part");
            try
            {
                await using var reader = await ParquetReader.CreateAsync(path);
                var docField = reader.Schema.DataFields.FirstOrDefault(f => f.Name == S.Documents.DocId.Name);
                var subtaskField = reader.Schema.DataFields.FirstOrDefault(f => f.Name == S.Documents.Subtask.Name && f.ClrType == typeof(int));
                if (subtaskField is null || docField is null)
                    return null;
                result ??= [];
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var docs = new long[group.RowCount];
                    var subtasks = new int[group.RowCount];
                    await group.ReadAsync<long>(docField, docs.AsMemory(), null, default);
                    await group.ReadAsync<int>(subtaskField, subtasks.AsMemory(), null, default);
                    for (int i = 0; i < docs.Length; i++)
                        result[docs[i]] = subtasks[i];
                }
            }
            catch (Exception e) when (e is IOException or ParquetException or InvalidDataException)
            {
                throw new QuantaException($"{path}: unreadable documents part ({e.Message}); delete it and re-run `quanta ingest` (`quanta toy sparse-parity` for a toy run)");
            }
        }
        return result;
    }
}
