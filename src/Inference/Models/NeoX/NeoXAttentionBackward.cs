using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// Backward through one NeoX attention block, from the gradient of its output [B,T,H] to the
/// gradient of its (normalized) input, feeding the dense and fused-QKV gradients to the sink.
/// </summary>
internal static class NeoXAttentionBackward
{
    public static string? Build(NeoXBody body, LinearGradientSink sink, NeoXLayerActivations a, string dOutput, bool needInputGradient)
    {
        var g = body.Graph;
        var c = body.Config;
        long h = c.HiddenSize;
        int heads = c.NumHeads, d = c.HeadDim;
        string Name(string suffix) => Layer(a.Layer, suffix);

        sink.Add(Name(AttentionOut), a.Context, h, dOutput, h, body.HasWeight(Name(AttentionOut + ".bias")));
        string dContext = LinearBackward.InputGradient(g, dOutput, body.Weight(Name(AttentionOut + ".weight")));
        string dHeads = g.Transpose(g.Reshape(dContext, 0, 0, heads, d), 0, 2, 1, 3);  // [B,h,T,d]

        // O = P V; P = softmax(S); S = scale·Q Kᵀ + mask (masked entries have P = 0, so their dS is 0).
        string dProbs = g.MatMul(dHeads, g.Transpose(a.Value, 0, 1, 3, 2));
        string dValue = g.MatMul(g.Transpose(a.Probabilities, 0, 1, 3, 2), dHeads);
        string rowDot = g.Node("ReduceSum", [g.Mul(dProbs, a.Probabilities), g.Int64([-1L])], null, Attr("keepdims", 1L));
        string dScores = g.Mul(g.Mul(a.Probabilities, g.Sub(dProbs, rowDot)), g.Float(NeoXBody.AttentionScale(d)));
        string dQuery = g.MatMul(dScores, g.Transpose(a.RotatedKeyTransposed, 0, 1, 3, 2));
        string dKey = g.MatMul(g.Transpose(dScores, 0, 1, 3, 2), a.RotatedQuery);

        // Back to the fused [B,T,heads,(q|k|v)] layout, undoing the rotary on q and k.
        string dq = Unrotate(body, g.Transpose(dQuery, 0, 2, 1, 3));
        string dk = Unrotate(body, g.Transpose(dKey, 0, 2, 1, 3));
        string dv = g.Transpose(dValue, 0, 2, 1, 3);
        string dQkv = g.Reshape(g.Concat(3, dq, dk, dv), 0, 0, 3 * h);

        sink.Add(Name(Qkv), a.AttentionNormed, h, dQkv, 3 * h, body.HasWeight(Name(Qkv + ".bias")));
        return needInputGradient ? LinearBackward.InputGradient(g, dQkv, body.Weight(Name(Qkv + ".weight"))) : null;
    }

    /// <summary>
    /// The transpose of the rotary map on [B,T,heads,head_dim]: forward (x1·cos − x2·sin, x2·cos + x1·sin)
    /// gives dx1 = d1·cos + d2·sin, dx2 = d2·cos − d1·sin; the non-rotary rest passes through.
    /// </summary>
    private static string Unrotate(NeoXBody body, string dx)
    {
        var g = body.Graph;
        int half = body.Config.RotaryDims / 2, rest = body.Config.HeadDim - body.Config.RotaryDims;
        var p = rest > 0 ? g.Split(dx, axis: 3, half, half, rest) : g.Split(dx, axis: 3, half, half);
        string first = g.Add(g.Mul(p[0], body.RotaryCos), g.Mul(p[1], body.RotarySin));
        string second = g.Sub(g.Mul(p[1], body.RotaryCos), g.Mul(p[0], body.RotarySin));
        return rest > 0 ? g.Concat(3, first, second, p[2]) : g.Concat(3, first, second);
    }
}
