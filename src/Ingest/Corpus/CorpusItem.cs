using System.Text;
using System.Text.Json;
using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Corpus;

/// <summary>A document's text and where it came from.</summary>
public readonly record struct CorpusDocument(string Text, string Source);

/// <summary>
/// One document as read from the corpus, not yet decoded: decoding and validation happen in
/// <see cref="Decode"/>, on a worker thread, and only for documents a run still has to write.
/// </summary>
public sealed class CorpusItem
{
    public required string File { get; init; }
    /// <summary>1-based line of the document's first byte in <see cref="File"/>; 0 where lines mean nothing (Parquet).</summary>
    public long Line { get; init; }
    public byte[]? Utf8 { get; init; }
    public bool IsJson { get; init; }
    public string? Text { get; init; }
    public required string DefaultSource { get; init; }

    private string Where => Line > 0 ? $"{File}:{Line}" : File;

    public CorpusDocument Decode()
    {
        if (Text is not null)
            return new CorpusDocument(Text, DefaultSource);
        var bytes = Utf8!;
        int invalid = FirstInvalidUtf8(bytes);
        if (invalid >= 0)
        {
            long line = Line + bytes.AsSpan(0, invalid).Count((byte)'\n');
            throw new QuantaException($"{File}:{line}: invalid UTF-8 at byte {invalid} of this document; re-encode the corpus as UTF-8");
        }
        return IsJson ? DecodeJson(bytes) : new CorpusDocument(Encoding.UTF8.GetString(bytes), DefaultSource);
    }

    private CorpusDocument DecodeJson(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new QuantaException($"{Where}: line is JSON but not an object; each line must be {{\"text\": \"...\"}}");
            if (!root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new QuantaException($"{Where}: no \"text\" string in this line; each line must be {{\"text\": \"...\"}}");
            var source = DefaultSource;
            if (root.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
            {
                if (meta.TryGetProperty("pile_set_name", out var set) && set.ValueKind == JsonValueKind.String)
                    source = set.GetString()!;
                else if (meta.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String)
                    source = s.GetString()!;
            }
            return new CorpusDocument(text.GetString()!, source);
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{Where}: not valid JSON ({FirstLine(e.Message)}); each line must be {{\"text\": \"...\"}}");
        }
        catch (InvalidOperationException e)
        {
            throw new QuantaException($"{Where}: the \"text\" string is not valid Unicode ({FirstLine(e.Message)}); fix the escape sequences in this line");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
            return -1;
        int i = 0;
        while (i < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out int consumed) != System.Buffers.OperationStatus.Done)
                return i;
            i += consumed;
        }
        return -1;
    }
}
