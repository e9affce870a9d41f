using QuantaProbe.Onnx;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Models.Gradients;

/// <summary>The input gradient of y = x Wᵀ + b: dX = Δ W.</summary>
internal static class LinearBackward
{
    /// <summary>
    /// Δ [..,out] times W [out,in], read from the forward's transposed initializer Wᵀ [in,out]
    /// through Gemm's transB (no second copy of the weight).
    /// </summary>
    public static string InputGradient(OnnxGraph g, string delta, string weightT, long outFeatures, long inFeatures)
    {
        string leading = g.Slice(g.Node("Shape", [delta]), axis: 0, start: 0, end: -1);
        string flat = g.Reshape(delta, -1, outFeatures);
        string product = g.Node("Gemm", [flat, weightT], null, Attr("transB", 1L));
        return g.Node("Reshape", [product, g.Concat(0, leading, g.Int64([inFeatures]))]);
    }
}
