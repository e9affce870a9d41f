using Parquet;
using Parquet.Schema;

namespace QuantaProbe.Core.Parquet;

/// <summary>Whole columns of one part file by name, for small outputs read whole (decompose's for the report).</summary>
public sealed class ParquetColumns : IAsyncDisposable
{
    private readonly ParquetReader _reader;
    private readonly string _path;
    private readonly string _rerun;

    private ParquetColumns(ParquetReader reader, string path, string writtenBy)
    {
        _reader = reader;
        _path = path;
        _rerun = $"delete it and re-run `{writtenBy}`";
    }

    public IEnumerable<string> Names => _reader.Schema.DataFields.Select(f => f.Name);

    public IReadOnlyDictionary<string, string> Metadata => _reader.CustomMetadata;

    /// <param name="writtenBy">The command that writes the file, named in the fix when it is unreadable, e.g. "quanta decompose".</param>
    public static async Task<ParquetColumns> OpenAsync(string path, string writtenBy) =>
        new(await RunPartFile.OpenAsync(path, writtenBy), path, writtenBy);

    public Task<T[]> ReadAsync<T>(string name) where T : struct => ReadGroupsAsync(name, async (group, field) =>
    {
        var buffer = new T[group.RowCount];
        await group.ReadAsync<T>(field, buffer.AsMemory(), null, default);
        return buffer;
    });

    public Task<string[]> ReadStringsAsync(string name) => ReadGroupsAsync(name, async (group, field) =>
    {
        var buffer = new string?[group.RowCount];
        await group.ReadAsync(field, buffer.AsMemory(), null, default);
        return buffer.Select(s => s ?? "").ToArray();
    });

    private async Task<T[]> ReadGroupsAsync<T>(string name, Func<ParquetRowGroupReader, DataField, Task<T[]>> read)
    {
        var field = _reader.Schema.DataFields.FirstOrDefault(f => f.Name == name)
            ?? throw new QuantaException($"{_path}: no column '{name}'; {_rerun}");
        try
        {
            var values = new List<T>();
            for (int g = 0; g < _reader.RowGroupCount; g++)
            {
                using var group = _reader.OpenRowGroupReader(g);
                values.AddRange(await read(group, field));
            }
            return values.ToArray();
        }
        catch (Exception e) when (RunPartFile.IsCorruption(e) || e is InvalidCastException)
        {
            throw new QuantaException($"{_path}: column '{name}' unreadable ({e.Message}); {_rerun}");
        }
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
