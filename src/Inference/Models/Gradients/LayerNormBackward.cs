using QuantaProbe.Onnx;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Models.Gradients;

/// <summary>
/// The input gradient of LayerNorm over the last axis, y = γ·x̂ + β with x̂ = (x − μ)/σ:
/// with g = dy·γ, dx = (g − mean(g) − x̂·mean(g·x̂)) / σ. The statistics are recomputed from x,
/// so the forward graph stays as loss.onnx has it.
/// </summary>
internal static class LayerNormBackward
{
    public static string InputGradient(OnnxGraph g, string x, string gamma, string dy, double epsilon)
    {
        string centered = g.Sub(x, Mean(g, x));
        string variance = Mean(g, g.Mul(centered, centered));
        string inverseStd = g.Node("Reciprocal", [g.Node("Sqrt", [g.Add(variance, g.Float((float)epsilon))])]);
        string normalized = g.Mul(centered, inverseStd);

        string scaled = g.Mul(dy, gamma);
        string projection = g.Mul(normalized, Mean(g, g.Mul(scaled, normalized)));
        return g.Mul(g.Sub(g.Sub(scaled, Mean(g, scaled)), projection), inverseStd);
    }

    // Opset 17: ReduceMean takes its axes as an attribute.
    private static string Mean(OnnxGraph g, string x) =>
        g.Node("ReduceMean", [x], null, Attr("axes", new[] { -1L }), Attr("keepdims", 1L));
}
