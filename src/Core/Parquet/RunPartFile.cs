using QuantaProbe.Core;
using Parquet;

namespace QuantaProbe.Core.Parquet;

/// <summary>
/// Opens a Parquet file of a run folder. A truncated or overwritten file fails here (its footer is
/// gone) with one line naming it and the command that writes it again.
/// </summary>
public static class RunPartFile
{
    /// <param name="writtenBy">The command that writes the file, e.g. "quanta ingest".</param>
    public static async Task<ParquetReader> OpenAsync(string path, string writtenBy)
    {
        RegularFile.Require(path);
        try
        {
            return await ParquetReader.CreateAsync(path);
        }
        catch (Exception e) when (IsCorruption(e))
        {
            throw Unreadable(path, writtenBy, e);
        }
    }

    public static bool IsCorruption(Exception e) =>
        e is IOException or ParquetException or InvalidDataException or OverflowException or ArgumentException or IndexOutOfRangeException or NotSupportedException;

    public static QuantaException Unreadable(string path, string writtenBy, Exception e) =>
        new($"{path}: unreadable Parquet file ({e.Message.Split('\n')[0].Trim()}); delete it and re-run `{writtenBy}`", e);
}
