using System.Text;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>
/// Token ids → text, as HF's ByteLevel decoder does it: each vocabulary token's characters map back
/// to the bytes they stand for (GPT-2's bytes_to_unicode, inverted) and the bytes are read as UTF-8.
/// A byte sequence that is not valid UTF-8 (a character split across a cut, or a model's odd choice)
/// becomes U+FFFD per maximal invalid subpart, as HF's errors="replace", so the text is always valid.
/// </summary>
internal sealed class ByteLevelDecoder
{
    private static readonly UTF8Encoding Utf8Replacing = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private readonly byte[]?[] _bytes;
    private readonly bool[] _special;

    public ByteLevelDecoder(TokenizerJson json)
    {
        var byteOf = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++)
            byteOf[ByteLevelAlphabet.CharOf[b]] = (byte)b;
        int size = Math.Max(json.Vocabulary.Values.DefaultIfEmpty(-1).Max(), json.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        _bytes = new byte[]?[size];
        _special = new bool[size];
        foreach (var (token, id) in json.Vocabulary)
            _bytes[id] = token.All(byteOf.ContainsKey) ? token.Select(c => byteOf[c]).ToArray() : Encoding.UTF8.GetBytes(token);
        // Added tokens are matched in the raw text, so they decode to their content, not through the byte alphabet.
        foreach (var added in json.AddedTokens)
        {
            _bytes[added.Id] = Encoding.UTF8.GetBytes(added.Content);
            _special[added.Id] = added.Special;
        }
    }

    /// <summary>Whether <paramref name="id"/> has a token to decode to.</summary>
    public bool Knows(int id) => id >= 0 && id < _bytes.Length && _bytes[id] is not null;

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (!Knows(id))
                throw new ArgumentOutOfRangeException(nameof(ids), id, "the tokenizer has no token with this id");
            if (!(skipSpecialTokens && _special[id]))
                bytes.AddRange(_bytes[id]!);
        }
        return Utf8Replacing.GetString(bytes.ToArray());
    }
}
