using QuantaProbe.Onnx.Proto;
using static QuantaProbe.Onnx.OnnxGraph;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Onnx;

/// <summary>
/// The contract's loss head: from float32 logits [B,T-1,V] (position t predicts input_ids[:,t+1])
/// computes token_loss (cross-entropy in nats) and token_entropy, both [B,T-1] and 0 where the
/// target is padding. Log-softmax and the gather stay inside the graph.
/// </summary>
internal static class LossHead
{
    /// <summary>The file the loss graph is exported to (models/&lt;name&gt;/loss.onnx).</summary>
    public const string FileName = "loss.onnx";
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenLoss = "token_loss";
    public const string TokenEntropy = "token_entropy";

    /// <summary>
    /// The widest vocabulary slice whose [B,T,·] logits the head computes at once: Pythia's 50k vocabulary takes
    /// thirteen slices, so a 2048-token batch holds 32 MB logits tensors instead of 412 MB ones.
    /// </summary>
    public const long SliceWidth = 4096;

    /// <summary>A vocabulary up to this size stays one slice: the embedded models' 8k (their graphs and losses as before).</summary>
    public const long WholeVocabularyLimit = 8192;

    /// <summary>The vocabulary slices [offset, offset + width) of a head over <paramref name="vocabulary"/> tokens, of near-equal widths.</summary>
    public static IReadOnlyList<(long Offset, long Width)> Slices(long vocabulary)
    {
        long count = vocabulary <= WholeVocabularyLimit ? 1 : (vocabulary + SliceWidth - 1) / SliceWidth;
        return Enumerable.Range(0, (int)count)
            .Select(i => (Offset: vocabulary * i / count, End: vocabulary * (i + 1) / count))
            .Select(c => (c.Offset, c.End - c.Offset)).ToList();
    }

    public static void Append(OnnxGraph g, string predictionLogits)
    {
        var (targets, targetValid) = Targets(g);

        // loss = lse − z[target] and entropy = lse − Σ softmax(z)·z, with lse = m + log Σ e, e = exp(z − m):
        // one Exp over [B,T,V] serves both, and no [B,T,V] log-probabilities are written. Σ e·z is one
        // batched dot product per position ([..,1,V]×[..,V,1]), which ORT runs multi-threaded.
        // Asking only for token_loss skips the entropy nodes (ORT runs what the requested outputs need).
        string z = predictionLogits;
        string max = g.Node("ReduceMax", [z], null, Attr("axes", new[] { -1L }), Attr("keepdims", 1L));
        string e = g.Node("Exp", [g.Sub(z, max)]);
        string sum = g.Node("ReduceSum", [e, g.Int64([-1L])], null, Attr("keepdims", 1L));
        string lse = g.Squeeze(g.Add(max, g.Node("Log", [sum])), -1);
        string picked = g.Squeeze(g.Node("GatherElements", [z, g.Unsqueeze(targets, 2)], null, Attr("axis", 2L)), 2);
        g.Node("Where", [targetValid, g.Sub(lse, picked), g.Float(0f)], TokenLoss);

        string dot = g.Squeeze(g.Node("ReduceSum", [g.Mul(e, z), g.Int64([-1L])], null, Attr("keepdims", 1L)), -1);
        string entropy = g.Sub(lse, g.Node("Div", [dot, g.Squeeze(sum, -1)]));
        g.Node("Where", [targetValid, entropy, g.Float(0f)], TokenEntropy);

        DeclareOutputs(g);
    }

    /// <summary>
    /// The same head over vocabulary slices whose logits <paramref name="sliceLogits"/> makes one at a time from
    /// <paramref name="input"/> (given the input, offset and width). Each slice's input waits, through a zero
    /// computed from the shapes of the previous slice's results, until that slice is reduced, so ONNX Runtime
    /// holds one slice's [B,T,width] tensors at a time whatever order it picks. An online log-sum-exp: the running maximum m,
    /// Σ e and Σ e·z are rescaled by exp(m_old − m_new) as each slice raises m; the target's logit is gathered
    /// from the slice that holds it.
    /// </summary>
    public static void Append(OnnxGraph g, string input, IReadOnlyList<(long Offset, long Width)> slices, Func<string, long, long, string> sliceLogits)
    {
        var (targets, targetValid) = Targets(g);
        string? max = null, sum = null, dot = null, picked = null;
        foreach (var (offset, width) in slices)
        {
            string z = sliceLogits(max is null ? input : After(g, input, dot!, picked!), offset, width);
            string sliceMax = g.Node("ReduceMax", [z], null, Attr("axes", new[] { -1L }), Attr("keepdims", 1L));
            string newMax = max is null ? sliceMax : g.Node("Max", [max, sliceMax]);
            string e = g.Node("Exp", [g.Sub(z, newMax)]);
            string sliceSum = g.Node("ReduceSum", [e, g.Int64([-1L])], null, Attr("keepdims", 1L));
            string sliceDot = g.Node("ReduceSum", [g.Mul(e, z), g.Int64([-1L])], null, Attr("keepdims", 1L));
            string local = g.Sub(targets, g.ScalarInt64(offset));
            string inSlice = g.Node("And", [g.Node("GreaterOrEqual", [local, g.ScalarInt64(0)]), g.Node("Less", [local, g.ScalarInt64(width)])]);
            string index = g.Node("Where", [inSlice, local, g.ScalarInt64(0)]);
            string gathered = g.Squeeze(g.Node("GatherElements", [z, g.Unsqueeze(index, 2)], null, Attr("axis", 2L)), 2);
            string slicePicked = g.Node("Where", [inSlice, gathered, g.Float(0f)]);
            if (max is null)
            {
                (sum, dot, picked) = (sliceSum, sliceDot, slicePicked);
            }
            else
            {
                string scale = g.Node("Exp", [g.Sub(max, newMax)]);
                sum = g.Add(g.Mul(sum!, scale), sliceSum);
                dot = g.Add(g.Mul(dot!, scale), sliceDot);
                picked = g.Add(picked!, slicePicked);
            }
            max = newMax;
        }
        if (max is null)
            throw new ArgumentException("a loss head needs at least one vocabulary slice", nameof(slices));
        string lse = g.Squeeze(g.Add(max, g.Node("Log", [sum!])), -1);
        g.Node("Where", [targetValid, g.Sub(lse, picked!), g.Float(0f)], TokenLoss);
        string entropy = g.Sub(lse, g.Node("Div", [g.Squeeze(dot!, -1), g.Squeeze(sum!, -1)]));
        g.Node("Where", [targetValid, entropy, g.Float(0f)], TokenEntropy);
        DeclareOutputs(g);
    }

    /// <summary><paramref name="x"/> + 0, where the 0 comes from the shapes of <paramref name="done"/>: available only once they are.</summary>
    private static string After(OnnxGraph g, string x, params string[] done)
    {
        string dims = g.Concat(0, done.Select(d => g.Node("Shape", [d])).ToArray());
        string zero = g.Mul(g.Cast(g.Node("ReduceSum", [dims], null, Attr("keepdims", 0L)), DataType.Float), g.Float(0f));
        return g.Add(x, zero);
    }

    private static (string Targets, string TargetValid) Targets(OnnxGraph g) =>
        (g.Slice(InputIds, axis: 1, start: 1, end: long.MaxValue),
         g.Cast(g.Slice(AttentionMask, axis: 1, start: 1, end: long.MaxValue), DataType.Bool));

    private static void DeclareOutputs(OnnxGraph g)
    {
        g.Output(TokenLoss, DataType.Float, "batch", "predictions");
        g.Output(TokenEntropy, DataType.Float, "batch", "predictions");
    }
}
