using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>
/// Byte-level BPE of one pre-token with a priority queue of candidate merges, as HF tokenizers
/// does it: O(n log n) in the word's length. Microsoft.ML.Tokenizers' merge loop grows faster
/// than linearly, which a corpus line of megabytes without a space turns into minutes; this
/// handles such long words, the library handles the rest.
/// </summary>
internal sealed class HeapBpe
{
    private readonly Dictionary<long, (int Rank, int Id)> _merges;
    private readonly int[] _byteIds = new int[256];

    public HeapBpe(TokenizerJson json, string path)
    {
        // Bytes that never occur in UTF-8 (0xC0, 0xC1, 0xF5–0xFF) may be missing from the vocabulary.
        for (int b = 0; b < 256; b++)
            _byteIds[b] = json.Vocabulary.TryGetValue(ByteLevelAlphabet.CharOf[b].ToString(), out int id) ? id : -1;
        if (Enumerable.Range('a', 26).Any(b => _byteIds[b] < 0))
            throw new QuantaException($"{path}: the vocabulary lacks byte-level symbols; this is not a byte-level BPE tokenizer");
        _merges = new Dictionary<long, (int, int)>(json.Merges.Count);
        for (int rank = 0; rank < json.Merges.Count; rank++)
        {
            var merge = json.Merges[rank];
            int space = merge.IndexOf(' ', 1);
            if (space < 0 || !json.Vocabulary.TryGetValue(merge[..space], out int left)
                || !json.Vocabulary.TryGetValue(merge[(space + 1)..], out int right)
                || !json.Vocabulary.TryGetValue(merge[..space] + merge[(space + 1)..], out int merged))
                throw new QuantaException($"{path}: merge #{rank} \"{merge}\" names a token missing from the vocabulary");
            _merges.TryAdd(Key(left, right), (rank, merged));
        }
        ByteLengths = new int[json.Vocabulary.Values.DefaultIfEmpty(0).Max() + 1];
        foreach (var (token, tokenId) in json.Vocabulary)
            ByteLengths[tokenId] = token.Length;
    }

    /// <summary>How many bytes each id stands for.</summary>
    public int[] ByteLengths { get; private set; } = [];

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>Appends the ids of <paramref name="word"/>, at most <paramref name="max"/>, and returns how many.</summary>
    public int Encode(ReadOnlySpan<char> word, List<int> ids, int max)
    {
        var bytes = Encoding.UTF8.GetBytes(word.ToArray());
        int n = bytes.Length;
        if (n == 0 || max <= 0)
            return 0;
        var id = new int[n];
        var next = new int[n];
        var prev = new int[n];
        for (int i = 0; i < n; i++)
        {
            id[i] = _byteIds[bytes[i]];
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        var queue = new PriorityQueue<(int Pos, int Left, int Right), (int Rank, int Pos)>();
        void Offer(int pos)
        {
            int right = next[pos];
            if (right >= 0 && _merges.TryGetValue(Key(id[pos], id[right]), out var m))
                queue.Enqueue((pos, id[pos], id[right]), (m.Rank, pos));
        }
        for (int i = 0; i + 1 < n; i++)
            Offer(i);
        while (queue.TryDequeue(out var c, out _))
        {
            int right = next[c.Pos];
            // Skip candidates that an earlier merge made stale.
            if (id[c.Pos] != c.Left || right < 0 || id[right] != c.Right || id[c.Pos] < 0)
                continue;
            id[c.Pos] = _merges[Key(c.Left, c.Right)].Id;
            id[right] = -1;
            next[c.Pos] = next[right];
            if (next[right] >= 0)
                prev[next[right]] = c.Pos;
            if (prev[c.Pos] >= 0)
                Offer(prev[c.Pos]);
            Offer(c.Pos);
        }
        int count = 0;
        for (int i = 0; i >= 0 && count < max; i = next[i], count++)
            ids.Add(id[i]);
        return count;
    }
}
