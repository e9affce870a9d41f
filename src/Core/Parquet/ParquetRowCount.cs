using Parquet;

namespace QuantaProbe.Core.Parquet;

public static class ParquetRowCount
{
    /// <summary>Row count of a Parquet file from its footer, without reading the data.</summary>
    public static async Task<long> OfAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        return reader.Metadata?.NumRows ?? 0;
    }
}
