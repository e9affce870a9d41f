using QuantaProbe.Onnx;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Models.Gradients;

/// <summary>
/// d loss / d logits = softmax − onehot(target), written so that confident predictions keep their
/// gradient: the target's entry p_y − 1 is −Σ_{j≠y} p_j rather than a float32 subtraction that
/// rounds to 0 once p_y rounds to 1 (a loss below ~6e-8 nats would otherwise have a zero gradient).
/// </summary>
internal static class CrossEntropyBackward
{
    /// <param name="softmax">Probabilities [B,V].</param>
    /// <param name="oneHot">float [B,V], 1 at the target.</param>
    public static string LogitGradient(OnnxGraph g, string softmax, string oneHot)
    {
        string others = g.Mul(softmax, g.Sub(g.Float(1f), oneHot));
        string missing = g.Node("ReduceSum", [others, g.Int64([-1L])], null, Attr("keepdims", 1L));
        return g.Sub(others, g.Mul(oneHot, missing));
    }
}
