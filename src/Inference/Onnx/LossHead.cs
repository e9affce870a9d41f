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

    public static void Append(OnnxGraph g, string predictionLogits)
    {
        string targets = g.Slice(InputIds, axis: 1, start: 1, end: long.MaxValue);
        string targetValid = g.Cast(g.Slice(AttentionMask, axis: 1, start: 1, end: long.MaxValue), DataType.Bool);

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

        g.Output(TokenLoss, DataType.Float, "batch", "predictions");
        g.Output(TokenEntropy, DataType.Float, "batch", "predictions");
    }
}
