namespace QuantaProbe.Models.SparseParity;

/// <summary>
/// How a sparse-parity example is a token sequence, so the language-model stages run on it unchanged:
/// [control token (the subtask id, 0..tasks−1), n bit tokens, label token]. Bits and labels have
/// their own token ids, so a label never repeats earlier context (no induction trigram) and only the
/// label position is scored.
/// </summary>
public sealed record SparseParityVocabulary(int Tasks, int Bits)
{
    public int BitToken(int bit) => Tasks + bit;
    public int LabelToken(int label) => Tasks + 2 + label;
    public int VocabularySize => Tasks + 4;
    public int SequenceLength => Bits + 2;
    /// <summary>The one scored position: the label token.</summary>
    public int LabelPosition => Bits + 1;
    /// <summary>Width of the MLP input: one-hot control bits, then the task bits.</summary>
    public int InputWidth => Tasks + Bits;

    /// <summary>Writes one example's tokens into <paramref name="tokens"/> (length <see cref="SequenceLength"/>).</summary>
    public void Encode(int subtask, ReadOnlySpan<byte> bits, int label, Span<int> tokens)
    {
        tokens[0] = subtask;
        for (int j = 0; j < Bits; j++)
            tokens[1 + j] = BitToken(bits[j]);
        tokens[LabelPosition] = LabelToken(label);
    }
}
