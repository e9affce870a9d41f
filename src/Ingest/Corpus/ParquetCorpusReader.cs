using Parquet;
using Parquet.Schema;
using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Corpus;

/// <summary>Reads a text column of a Parquet file one row group at a time.</summary>
internal static class ParquetCorpusReader
{
    public static IEnumerable<CorpusItem> Read(string file, string source, string textColumn)
    {
        RegularFile.Require(file);
        using var stream = File.OpenRead(file);
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(stream).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ParquetException)
        {
            throw new QuantaException($"{file}: not a readable Parquet file ({e.Message})");
        }
        try
        {
            foreach (var item in ReadRows(reader, file, source, textColumn))
                yield return item;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static IEnumerable<CorpusItem> ReadRows(ParquetReader reader, string file, string source, string textColumn)
    {
        var textField = reader.Schema.DataFields.FirstOrDefault(f => f.Name == textColumn && IsText(f))
            ?? throw new QuantaException($"{file}: no string column \"{textColumn}\"; name the text column with --text-column");
        var sourceField = reader.Schema.DataFields.FirstOrDefault(f => f.Name == "source" && IsText(f));
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var (texts, sources) = ReadGroup(reader, g, textField, sourceField, file);
            for (int i = 0; i < texts.Length; i++)
                yield return new CorpusItem { File = file, Text = texts[i] ?? "", DefaultSource = sources?[i] ?? source };
        }
    }

    private static bool IsText(DataField f) => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>);

    private static (string?[] Texts, string?[]? Sources) ReadGroup(ParquetReader reader, int group, DataField textField, DataField? sourceField, string file)
    {
        try
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            int rows = checked((int)rowGroup.RowCount);
            var texts = new string?[rows];
            rowGroup.ReadAsync(textField, texts.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
            string?[]? sources = null;
            if (sourceField is not null)
            {
                sources = new string?[rows];
                rowGroup.ReadAsync(sourceField, sources.AsMemory(), null, default).AsTask().GetAwaiter().GetResult();
            }
            return (texts, sources);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ParquetException or OverflowException)
        {
            throw new QuantaException($"{file}: row group {group} cannot be read ({e.Message})");
        }
    }
}
