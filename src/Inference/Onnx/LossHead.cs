using QuantaProbe.Inference.Onnx.Proto;
using static QuantaProbe.Inference.Onnx.OnnxGraph;
using DataType = QuantaProbe.Inference.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Inference.Onnx;

/// <summary>
/// The contract's loss head: from float32 logits [B,T-1,V] (position t predicts input_ids[:,t+1])
/// computes token_loss (cross-entropy in nats) and token_entropy, both [B,T-1] and 0 where the
/// target is padding. Log-softmax and the gather stay inside the graph.
/// </summary>
internal static class LossHead
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenLoss = "token_loss";
    public const string TokenEntropy = "token_entropy";

    public static void Append(OnnxGraph g, string predictionLogits)
    {
        string targets = g.Slice(InputIds, axis: 1, start: 1, end: long.MaxValue);
        string targetValid = g.Cast(g.Slice(AttentionMask, axis: 1, start: 1, end: long.MaxValue), DataType.Bool);

        string logProbs = g.Node("LogSoftmax", [predictionLogits], null, Attr("axis", -1L));
        string picked = g.Node("GatherElements", [logProbs, g.Unsqueeze(targets, 2)], null, Attr("axis", 2L));
        string nll = g.Neg(g.Squeeze(picked, 2));
        g.Node("Where", [targetValid, nll, g.Float(0f)], TokenLoss);

        // −Σ p·log p as one batched dot product per position ([..,1,V]×[..,V,1]): ORT runs this
        // multi-threaded, where an element-wise Mul + ReduceSum over [B,T,V] was the slowest step of the graph.
        string probs = g.Unsqueeze(g.Node("Exp", [logProbs]), -2);
        string dot = g.MatMul(probs, g.Unsqueeze(logProbs, -1));
        string entropy = g.Neg(g.Squeeze(dot, -2, -1));
        g.Node("Where", [targetValid, entropy, g.Float(0f)], TokenEntropy);

        g.Output(TokenLoss, DataType.Float, "batch", "predictions");
        g.Output(TokenEntropy, DataType.Float, "batch", "predictions");
    }
}
