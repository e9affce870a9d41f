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
        VocabSize = Math.Max(json.Vocabulary.Values.DefaultIfEmpty(-1).Max(), json.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        Path = path;
        Sha256 = Sha256File.Of(path);
    }

    public static HfTokenizer Load(string path) => new(TokenizerJson.Load(path), path);

    public string Path { get; }
    public string Sha256 { get; }
    /// <summary>One more than the largest id, added tokens included.</summary>
    public int VocabSize { get; }

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
        ids.AddRange(_bpe.EncodeToIds(piece, room, out _, out int consumed, considerPreTokenization: true, considerNormalization: false));
        covered.Append(piece, 0, consumed);
        if (consumed == piece.Length)
            return true;
        // The library stops before a pre-token whose ids would not all fit; HF truncation keeps
        // the ids that fit, so take that pre-token's first ids ourselves.
        room = limit - ids.Count;
        if (room > 0)
        {
            int end = Gpt2PreTokenizer.NextEnd(piece, consumed);
            var word = piece[consumed..end];
            var tokens = _bpe.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false);
            for (int i = 0; i < room && i < tokens.Count; i++)
                ids.Add(tokens[i].Id);
            int wordCovered = tokens[Math.Min(room, tokens.Count) - 1].Offset.End.GetOffset(word.Length);
            covered.Append(word, 0, Math.Max(wordCovered, 0));
        }
        return false;
    }
}
