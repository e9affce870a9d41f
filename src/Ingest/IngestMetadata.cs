using static QuantaProbe.Core.Contracts.MetadataKeys;
using System.Text;
using Parquet;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Ingest.Corpus;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Ingest;

/// <summary>
/// The key-value metadata every ingest part carries. A resumed run must agree with the parts
/// already written on everything that decides their content.
/// </summary>
internal static class IngestMetadata
{
    public static Dictionary<string, string> For(IngestOptions options, HfTokenizer tokenizer, string corpusFingerprint) => new()
    {
        [Stage] = "ingest",
        [TokenizerSha256] = tokenizer.Sha256,
        [ContextLength] = options.ContextLength.ToString(),
        [DocumentsPerPart] = options.DocumentsPerPart.ToString(),
        [CorpusFingerprint] = corpusFingerprint,
        [Separator] = options.CorpusOptions.Separator ?? "",
        [TextColumn] = options.CorpusOptions.TextColumn,
        [VocabSize] = tokenizer.VocabSize.ToString(),
    };

    /// <summary>Names and sizes of the corpus files: cheap, and changes when the corpus is swapped.</summary>
    public static string Fingerprint(IReadOnlyList<FileInfo> files, string corpus)
    {
        var root = Directory.Exists(corpus) ? Path.GetFullPath(corpus) : null;
        var text = new StringBuilder();
        foreach (var f in files)
            text.Append(root is null ? f.Name : Path.GetRelativePath(root, f.FullName)).Append('\t').Append(f.Length).Append('\n');
        return Sha256File.Of(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>Fails when a complete part was written with other settings.</summary>
    public static async Task CheckAgreesAsync(string partPath, IReadOnlyDictionary<string, string> expected, string runFolder)
    {
        Dictionary<string, string> found;
        try
        {
            await using var reader = await ParquetReader.CreateAsync(partPath);
            found = reader.CustomMetadata;
        }
        catch (Exception e) when (e is IOException or ParquetException or InvalidDataException)
        {
            throw new QuantaException($"{partPath}: unreadable part file ({e.Message}); delete it and run `quanta ingest` again");
        }
        foreach (var (key, value) in expected)
        {
            found.TryGetValue(key, out var actual);
            if (actual != value)
                throw new QuantaException(
                    $"{partPath}: written with {key}={actual ?? "(none)"}, this run has {value}; use a new --out folder, or delete {Path.Combine(runFolder, RunSchemas.Tokens.Folder)} and {Path.Combine(runFolder, RunSchemas.Documents.Folder)}");
        }
    }
}
