using System.Text;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>
/// Token ids back to the bytes they stand for, from a byte-level BPE <c>tokenizer.json</c> (vocabulary
/// strings through GPT-2's byte alphabet; added tokens as their UTF-8 text). Ids it does not know decode
/// to nothing, so a token sequence always decodes.
/// </summary>
public sealed class TokenDecoder
{
    private readonly Dictionary<int, byte[]> _bytes = [];

    private TokenDecoder(TokenizerJson json)
    {
        var byteOf = new Dictionary<char, byte>();
        for (int b = 0; b < 256; b++)
            byteOf[ByteLevelAlphabet.CharOf[b]] = (byte)b;
        foreach (var (token, id) in json.Vocabulary)
            _bytes[id] = token.All(byteOf.ContainsKey) ? token.Select(c => byteOf[c]).ToArray() : Encoding.UTF8.GetBytes(token);
        foreach (var added in json.AddedTokens)
            _bytes[added.Id] = Encoding.UTF8.GetBytes(added.Content);
    }

    public static TokenDecoder Load(string tokenizerJson) => new(TokenizerJson.Load(tokenizerJson));

    public byte[] Bytes(int id) => _bytes.TryGetValue(id, out var b) ? b : [];

    /// <summary>The text of consecutive tokens (a character split across the ends comes out as U+FFFD).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
            bytes.AddRange(Bytes(id));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
