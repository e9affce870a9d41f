using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Corpus;

/// <summary>
/// Streams the documents of a corpus: a .txt, .jsonl, .jsonl.zst or .parquet file, or a folder of
/// them (read in ordinal order of their relative paths; see <see cref="CorpusFolderWalk"/> for links). doc_id is the document's index in this
/// stream, so it is the same in every run and every shard.
/// </summary>
public static class CorpusReader
{
    private static readonly string[] Extensions = [".txt", ".jsonl", ".jsonl.zst", ".parquet"];

    /// <summary>The corpus files in reading order, with their size; fails when there are none.</summary>
    public static IReadOnlyList<FileInfo> Files(string path)
    {
        if (File.Exists(path))
        {
            if (!IsSupported(path))
                throw new QuantaException($"{path}: unsupported corpus format; use .txt, .jsonl, .jsonl.zst or .parquet (or a folder of them)");
            RegularFile.Require(path);
            return [new FileInfo(path)];
        }
        if (!Directory.Exists(path))
            throw new QuantaException($"{path}: corpus not found; pass an existing file or folder with --corpus");
        var files = CorpusFolderWalk.Files(path, IsSupported);
        if (files.Count == 0)
            throw new QuantaException($"{path}: folder holds no .txt, .jsonl, .jsonl.zst or .parquet files");
        return files;
    }

    public static IEnumerable<CorpusItem> Read(string path, CorpusOptions options)
    {
        var root = Directory.Exists(path) ? Path.GetFullPath(path) : null;
        foreach (var file in Files(path))
        {
            var source = root is null ? file.Name : Path.GetRelativePath(root, file.FullName);
            foreach (var item in ReadFile(file.FullName, source, options))
                yield return item;
        }
    }

    private static bool IsSupported(string file) => Extensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<CorpusItem> ReadFile(string file, string source, CorpusOptions options)
    {
        if (file.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            return ParquetCorpusReader.Read(file, source, options.TextColumn);
        if (file.EndsWith(".jsonl.zst", StringComparison.OrdinalIgnoreCase))
            return JsonLines(file, source, compressed: true);
        if (file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            return JsonLines(file, source, compressed: false);
        return Text(file, source, options.Separator);
    }

    private static IEnumerable<CorpusItem> JsonLines(string file, string source, bool compressed)
    {
        using var stream = Open(file);
        using var decoded = compressed ? new ZstdSharp.DecompressionStream(stream) : null;
        foreach (var (record, line) in DelimitedRecordReader.Read((Stream?)decoded ?? stream, "\n"u8.ToArray(), file))
        {
            // A byte-order mark may open the file (editors on Windows write one); anywhere else it is a damaged line.
            bool bom = record.AsSpan().StartsWith(ByteOrderMark);
            if (bom && line != 1)
                throw new QuantaException($"{file}:{line}: the line starts with a UTF-8 byte-order mark (EF BB BF), which only the file's start may hold; remove it (files joined with a BOM each?)");
            var json = bom ? record[ByteOrderMark.Length..] : record;
            if (IsBlank(json))
                continue;
            yield return new CorpusItem { File = file, Line = line, Utf8 = json, IsJson = true, DefaultSource = source };
        }
    }

    private static IEnumerable<CorpusItem> Text(string file, string source, string? separator)
    {
        using var stream = Open(file);
        if (separator is null)
        {
            if (stream.Length > DelimitedRecordReader.MaxRecordBytes)
                throw DelimitedRecordReader.TooLong(file, 1);
            var all = new MemoryStream();
            stream.CopyTo(all);
            yield return new CorpusItem { File = file, Line = 1, Utf8 = all.ToArray(), DefaultSource = source };
            yield break;
        }
        foreach (var (record, line) in DelimitedRecordReader.Read(stream, Encoding.UTF8.GetBytes(separator), file))
            yield return new CorpusItem { File = file, Line = line, Utf8 = record, DefaultSource = source };
    }

    private static FileStream Open(string file)
    {
        RegularFile.Require(file);
        try
        {
            return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantaException($"{file}: cannot open corpus file ({e.Message})");
        }
    }

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static bool IsBlank(ReadOnlySpan<byte> record) => record.IndexOfAnyExcept(" \t\r"u8) < 0;
}
