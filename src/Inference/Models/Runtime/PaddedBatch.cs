using QuantaProbe.Core;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Token sequences as the graphs take them: input_ids and attention_mask [batch, length], right
/// padding to a multiple the model asks for, every id checked against the vocabulary.
/// </summary>
internal readonly record struct PaddedBatch(long[] Ids, long[] Mask, int Batch, int Length)
{
    public long[] Shape => [Batch, Length];

    /// <param name="take">How many leading tokens of sequence b to use (default: all).</param>
    public static PaddedBatch Build(IReadOnlyList<ReadOnlyMemory<int>> sequences, int padToMultiple, int? vocabSize, string modelPath, Func<int, int>? take = null)
    {
        int batch = sequences.Count;
        int longest = 0;
        for (int b = 0; b < batch; b++)
            longest = Math.Max(longest, take?.Invoke(b) ?? sequences[b].Length);
        int length = (longest + padToMultiple - 1) / padToMultiple * padToMultiple;
        var ids = new long[(long)batch * length];
        var mask = new long[ids.Length];
        for (int b = 0; b < batch; b++)
        {
            var tokens = sequences[b].Span[..(take?.Invoke(b) ?? sequences[b].Length)];
            for (int t = 0; t < tokens.Length; t++)
            {
                int id = tokens[t];
                if (id < 0 || (vocabSize is int v && id >= v))
                    throw new QuantaException($"{modelPath}: token id {id} (sequence {b}, position {t}) is outside the model's vocabulary of {vocabSize}; tokenize with this model family's tokenizer.json.");
                ids[(long)b * length + t] = id;
                mask[(long)b * length + t] = 1;
            }
        }
        return new PaddedBatch(ids, mask, batch, length);
    }
}
