using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Onnx;

/// <summary>
/// The sampling graph's head (next.onnx): each row's hidden state at its last unmasked position
/// (right padding), so only [B,H] reaches the unembedding and only `next_logits` [B,V] the host.
/// </summary>
internal static class NextLogitsHead
{
    public const string FileName = "next.onnx";
    public const string NextLogits = "next_logits";

    /// <summary>hidden [B,T,H] → [B,H] at index Σ attention_mask − 1 of each row (0 for an all-padding row).</summary>
    public static string LastPosition(OnnxGraph g, string hidden)
    {
        string count = g.Node("ReduceSum", [LossHead.AttentionMask, g.Int64([1L])], null, Attr("keepdims", 1L));
        string last = g.Node("Max", [g.Sub(count, g.ScalarInt64(1)), g.ScalarInt64(0)]);
        return g.Node("GatherND", [hidden, last], null, Attr("batch_dims", 1L));
    }

    public static void DeclareOutput(OnnxGraph g, int vocabSize) =>
        g.Output(NextLogits, DataType.Float, "batch", vocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
