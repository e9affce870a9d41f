namespace QuantaProbe.Core.Parquet;

public static class ParquetRowCount
{
    /// <summary>Row count of a Parquet file from its footer, without reading the data.</summary>
    /// <param name="writtenBy">The command that writes the file, named when it is unreadable.</param>
    public static async Task<long> OfAsync(string path, string writtenBy)
    {
        await using var reader = await RunPartFile.OpenAsync(path, writtenBy);
        return reader.Metadata?.NumRows ?? 0;
    }
}
