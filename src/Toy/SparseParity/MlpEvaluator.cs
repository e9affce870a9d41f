namespace QuantaProbe.Toy.SparseParity;

/// <summary>Per-example cross-entropy (nats) of a trained MLP on fixed examples, on the host.</summary>
public static class MlpEvaluator
{
    public static float[] Losses(SparseParityTask task, MlpWeights weights, ReadOnlySpan<int> subtasks, ReadOnlySpan<byte> bits, ReadOnlySpan<byte> labels)
    {
        var pre = new float[weights.Width];
        var hidden = new float[weights.Width];
        Span<float> logits = stackalloc float[2];
        var result = new float[subtasks.Length];
        for (int b = 0; b < result.Length; b++)
        {
            weights.Forward(subtasks[b], bits.Slice(b * task.Bits, task.Bits), pre, hidden, logits);
            float max = MathF.Max(logits[0], logits[1]);
            float logSum = max + MathF.Log(MathF.Exp(logits[0] - max) + MathF.Exp(logits[1] - max));
            result[b] = logSum - logits[labels[b]];
        }
        return result;
    }
}
