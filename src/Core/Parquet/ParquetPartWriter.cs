using Parquet;
using Parquet.Schema;

namespace QuantaProbe.Core.Parquet;

/// <summary>
/// Writes one part file under its temporary name, in row groups of at most
/// <see cref="RowGroupRows"/> rows, and moves it into place on <see cref="CompleteAsync"/>.
/// Disposing without completing deletes the temporary, so no half-written part survives.
/// Output is deterministic: the same rows give the same bytes.
/// </summary>
public sealed class ParquetPartWriter : IAsyncDisposable
{
    public const int RowGroupRows = 1 << 20;

    private readonly string _temp;
    private readonly string _final;
    private readonly FileStream _stream;
    private readonly ParquetWriter _writer;
    private bool _completed;

    private ParquetPartWriter(string temp, string final, FileStream stream, ParquetWriter writer)
    {
        _temp = temp;
        _final = final;
        _stream = stream;
        _writer = writer;
    }

    public static async Task<ParquetPartWriter> CreateAsync(string folder, long partIndex, ParquetSchema schema, IReadOnlyDictionary<string, string> metadata)
    {
        Directory.CreateDirectory(folder);
        var temp = PartFiles.TempPathOf(folder, partIndex);
        var stream = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
            var writer = await ParquetWriter.CreateAsync(schema, stream, options);
            writer.CustomMetadata = metadata;
            return new ParquetPartWriter(temp, PartFiles.PathOf(folder, partIndex), stream, writer);
        }
        catch
        {
            await stream.DisposeAsync();
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes one row group; <paramref name="write"/> writes every column of it.</summary>
    public async Task WriteRowGroupAsync(Func<ParquetRowGroupWriter, Task> write)
    {
        using var group = _writer.CreateRowGroup();
        await write(group);
    }

    public async Task CompleteAsync()
    {
        await _writer.DisposeAsync();
        await _stream.FlushAsync();
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync();
        PartFiles.Commit(_temp, _final);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_completed)
            return;
        try
        {
            await _writer.DisposeAsync();
        }
        catch (Exception)
        {
            // The part is being abandoned; a failure to finish its footer changes nothing.
        }
        await _stream.DisposeAsync();
        File.Delete(_temp);
    }
}
