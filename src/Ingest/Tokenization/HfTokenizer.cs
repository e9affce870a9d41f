using System.Text;
using Microsoft.ML.Tokenizers;
using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>
/// A HuggingFace byte-level BPE <c>tokenizer.json</c> (GPT-2, GPT-NeoX, Pythia) with ids equal to
/// HF tokenizers' own (add_special_tokens = false). The BPE itself is Microsoft.ML.Tokenizers';
/// this class adds what that library lacks: the tokenizer.json loader, HF's added-token
/// splitting (raw text for non-normalized tokens, NFC text for normalized ones) and a GPT-2
/// pre-tokenizer that works on code points. Thread-safe.
/// </summary>
public sealed class HfTokenizer
{
    private readonly BpeTokenizer _bpe;
    private readonly AddedTokenSplitter _rawAdded;
    private readonly AddedTokenSplitter _normalizedAdded;
    private readonly bool _nfc;
    private readonly bool _addPrefixSpace;
    private readonly HeapBpe _heapBpe;
    private readonly ByteLevelDecoder _decoder;
    private readonly Dictionary<string, int> _addedTokenIds;

    /// <summary>Pre-tokens longer than this go to <see cref="HeapBpe"/> (see there why).</summary>
    internal const int LongWordChars = 256;

    private HfTokenizer(TokenizerJson json, string path)
    {
        _nfc = json.NfcNormalizer;
        _addPrefixSpace = json.AddPrefixSpace;
        _rawAdded = new AddedTokenSplitter(json.AddedTokens.Where(t => !t.Normalized).Select(t => (t.Content, t.Id)));
        _normalizedAdded = new AddedTokenSplitter(json.AddedTokens.Where(t => t.Normalized)
            .Select(t => (_nfc ? TokenizerJson.Nfc(t.Content) : t.Content, t.Id)));
        try
        {
            _bpe = BpeTokenizer.Create(new BpeOptions(json.Vocabulary)
            {
                Merges = json.Merges,
                ByteLevel = true,
                PreTokenizer = Gpt2PreTokenizer.Instance,
            });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new QuantaException($"{path}: the BPE vocabulary or merges are inconsistent ({e.Message})");
        }
        _heapBpe = new HeapBpe(json, path);
        _decoder = new ByteLevelDecoder(json);
        _addedTokenIds = json.AddedTokens.GroupBy(t => t.Content, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        VocabSize = Math.Max(json.Vocabulary.Values.DefaultIfEmpty(-1).Max(), json.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        Path = path;
        Sha256 = Sha256File.Of(path);
    }

    public static HfTokenizer Load(string path) => new(TokenizerJson.Load(path), path);

    public string Path { get; }
    public string Sha256 { get; }
    /// <summary>One more than the largest id, added tokens included.</summary>
    public int VocabSize { get; }

    /// <summary>The id of an added token such as <c>&lt;|endoftext|&gt;</c>, or null when the tokenizer has none by that content.</summary>
    public int? AddedTokenId(string content) => _addedTokenIds.TryGetValue(content, out int id) ? id : null;

    /// <summary>Whether <see cref="Decode"/> knows <paramref name="id"/>.</summary>
    public bool HasToken(int id) => _decoder.Knows(id);

    /// <summary>
    /// The text of <paramref name="ids"/> (HF's decode; special tokens left out unless asked for). Always
    /// valid text: bytes that are not valid UTF-8 become U+FFFD. Unknown ids throw ArgumentOutOfRangeException.
    /// </summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) => _decoder.Decode(ids, skipSpecialTokens);

    /// <summary>All ids of <paramref name="text"/>, without special tokens added.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        Encode(text, ids, int.MaxValue);
        return ids;
    }

    /// <summary>
    /// Appends the first <paramref name="maxTokens"/> ids of <paramref name="text"/> to
    /// <paramref name="ids"/> (exactly HF's ids truncated, stopping early on long texts) and
    /// returns the text those ids cover, after normalization.
    /// </summary>
    public string Encode(string text, List<int> ids, int maxTokens)
    {
        int limit = ids.Count + maxTokens < 0 ? int.MaxValue : ids.Count + maxTokens;
        var covered = new StringBuilder(Math.Min(text.Length, 1 << 16));
        int pos = 0;
        while (pos < text.Length && ids.Count < limit)
        {
            var (at, length, id) = _rawAdded.Next(text, pos);
            int segmentEnd = at < 0 ? text.Length : at;
            if (segmentEnd > pos && !EncodeNormalizing(text[pos..segmentEnd], ids, limit, covered))
                break;
            if (at < 0 || ids.Count >= limit)
                break;
            ids.Add(id);
            covered.Append(text, at, length);
            pos = at + length;
        }
        return covered.ToString();
    }

    /// <summary>Returns false when the limit stopped encoding inside this segment.</summary>
    private bool EncodeNormalizing(string segment, List<int> ids, int limit, StringBuilder covered)
    {
        string text = _nfc ? TokenizerJson.Nfc(segment) : segment;
        int pos = 0;
        while (pos < text.Length)
        {
            var (at, length, id) = _normalizedAdded.Next(text, pos);
            int pieceEnd = at < 0 ? text.Length : at;
            if (pieceEnd > pos && !EncodeBpe(text[pos..pieceEnd], ids, limit, covered))
                return false;
            if (at < 0)
                break;
            if (ids.Count >= limit)
                return false;
            ids.Add(id);
            covered.Append(text, at, length);
            pos = at + length;
        }
        return true;
    }

    private bool EncodeBpe(string piece, List<int> ids, int limit, StringBuilder covered)
    {
        if (_addPrefixSpace && piece[0] != ' ')
            piece = " " + piece;
        int room = limit - ids.Count;
        if (room <= 0)
            return false;
        if (HasLongWord(piece))
            return EncodeWordByWord(piece, 0, ids, limit, covered);
        ids.AddRange(_bpe.EncodeToIds(piece, room, out _, out int consumed, considerPreTokenization: true, considerNormalization: false));
        covered.Append(piece, 0, consumed);
        if (consumed == piece.Length)
            return true;
        // The library stops before a pre-token whose ids would not all fit; HF truncation keeps
        // the ids that fit, so the rest is taken word by word.
        return EncodeWordByWord(piece, consumed, ids, limit, covered);
    }

    internal List<int> EncodeWordWithHeap(string word)
    {
        var ids = new List<int>();
        _heapBpe.Encode(word, ids, int.MaxValue);
        return ids;
    }

    internal IReadOnlyList<int> EncodeWordWithLibrary(string word) =>
        _bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false);

    private static bool HasLongWord(string piece)
    {
        if (piece.Length <= LongWordChars)
            return false;
        for (int start = 0; start < piece.Length;)
        {
            int end = Gpt2PreTokenizer.NextEnd(piece, start);
            if (end - start > LongWordChars)
                return true;
            start = end;
        }
        return false;
    }

    private bool EncodeWordByWord(string piece, int start, List<int> ids, int limit, StringBuilder covered)
    {
        while (start < piece.Length)
        {
            int room = limit - ids.Count;
            if (room <= 0)
                return false;
            int end = Gpt2PreTokenizer.NextEnd(piece, start);
            var word = piece.AsSpan(start, end - start);
            int before = ids.Count;
            int bytesKept = 0;
            bool whole;
            if (word.Length > LongWordChars)
            {
                int all = _heapBpe.Encode(word, ids, int.MaxValue);
                whole = all <= room;
                if (!whole)
                    ids.RemoveRange(before + room, all - room);
            }
            else
            {
                var wordIds = _bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false);
                whole = wordIds.Count <= room;
                ids.AddRange(whole ? wordIds : wordIds.Take(room));
            }
            if (whole)
            {
                covered.Append(word);
                start = end;
                continue;
            }
            for (int i = before; i < ids.Count; i++)
                bytesKept += _heapBpe.ByteLengths[ids[i]];
            covered.Append(word[..CharsCovering(word, bytesKept)]);
            return false;
        }
        return true;
    }

    /// <summary>The shortest prefix of <paramref name="word"/> whose UTF-8 form spans <paramref name="bytes"/> bytes.</summary>
    private static int CharsCovering(ReadOnlySpan<char> word, int bytes)
    {
        int chars = 0;
        while (chars < word.Length && bytes > 0)
        {
            System.Text.Rune.DecodeFromUtf16(word[chars..], out var rune, out int width);
            bytes -= rune.Utf8SequenceLength;
            chars += width;
        }
        return chars;
    }
}
