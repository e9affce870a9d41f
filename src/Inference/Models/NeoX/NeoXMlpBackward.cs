using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// Backward through one NeoX MLP (dense_h_to_4h, GELU, dense_4h_to_h), from the gradient of its
/// output [B,T,H] to the gradient of its (normalized) input, feeding both layers' gradients to the sink.
/// </summary>
internal static class NeoXMlpBackward
{
    public static string Build(NeoXBody body, LinearGradientSink sink, NeoXLayerActivations a, string dOutput)
    {
        var g = body.Graph;
        long h = body.Config.HiddenSize, m = body.Config.IntermediateSize;
        string Name(string suffix) => Layer(a.Layer, suffix);

        sink.Add(Name(MlpDown), a.MlpActivation, m, dOutput, h, hasBias: true);
        string dActivation = LinearBackward.InputGradient(g, dOutput, body.Weight(Name(MlpDown + ".weight")));
        string dPreActivation = g.Mul(dActivation, GeluDerivative(g, a.MlpPreActivation, body.Config.Activation));

        sink.Add(Name(MlpUp), a.MlpNormed, h, dPreActivation, m, hasBias: true);
        return LinearBackward.InputGradient(g, dPreActivation, body.Weight(Name(MlpUp + ".weight")));
    }

    /// <summary>
    /// Exact: Φ(x) + x·φ(x). Tanh form, u = √(2/π)(x + 0.044715x³), t = tanh u:
    /// 0.5(1 + t) + 0.5x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
    /// </summary>
    internal static string GeluDerivative(OnnxGraph g, string x, GeluKind kind)
    {
        string square = g.Mul(x, x);
        if (kind == GeluKind.Exact)
        {
            string cdf = g.Mul(g.Add(g.Node("Erf", [g.Mul(x, g.Float((float)(1 / Math.Sqrt(2))))]), g.Float(1f)), g.Float(0.5f));
            string pdf = g.Mul(g.Node("Exp", [g.Mul(square, g.Float(-0.5f))]), g.Float((float)(1 / Math.Sqrt(2 * Math.PI))));
            return g.Add(cdf, g.Mul(x, pdf));
        }
        float root = (float)Math.Sqrt(2 / Math.PI);
        string t = g.Node("Tanh", [g.Mul(g.Add(x, g.Mul(g.Mul(square, x), g.Float(0.044715f))), g.Float(root))]);
        string du = g.Mul(g.Add(g.Mul(square, g.Float(3 * 0.044715f)), g.Float(1f)), g.Float(root));
        string dt = g.Sub(g.Float(1f), g.Mul(t, t));
        return g.Add(g.Mul(g.Add(t, g.Float(1f)), g.Float(0.5f)), g.Mul(g.Mul(g.Mul(x, g.Float(0.5f)), dt), du));
    }
}
