using Parquet;
using Parquet.Schema;

namespace QuantaProbe.Tests;

/// <summary>Reads whole columns of a set of part files, in part order, for assertions.</summary>
internal static class ParquetTestReader
{
    public static Task<T[]> ColumnAsync<T>(string folder, string column) where T : struct =>
        ReadAsync(folder, column, async (group, field) =>
        {
            var buffer = new T[group.RowCount];
            await group.ReadAsync<T>(field, buffer.AsMemory(), null, default);
            return buffer;
        });

    public static Task<string[]> StringColumnAsync(string folder, string column) =>
        ReadAsync(folder, column, async (group, field) =>
        {
            var buffer = new string?[group.RowCount];
            await group.ReadAsync(field, buffer.AsMemory(), null, default);
            return buffer.Select(v => v!).ToArray();
        });

    private static async Task<T[]> ReadAsync<T>(string folder, string column, Func<ParquetRowGroupReader, DataField, Task<T[]>> readGroup)
    {
        var values = new List<T>();
        foreach (var file in Directory.GetFiles(folder, "part-*.parquet").Order())
        {
            await using var reader = await ParquetReader.CreateAsync(file);
            var field = reader.Schema.DataFields.Single(f => f.Name == column);
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                values.AddRange(await readGroup(group, field));
            }
        }
        return values.ToArray();
    }

    public static async Task WriteTextColumnAsync(string path, string column, string[] texts)
    {
        var field = new DataField<string>(column);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(field, texts);
    }
}
