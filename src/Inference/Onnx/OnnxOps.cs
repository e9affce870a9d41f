using QuantaProbe.Onnx.Proto;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Onnx;

/// <summary>Typed shorthands for the opset-13+ operators the loss graphs use (axes and splits as inputs).</summary>
internal static class OnnxOps
{
    public static string Add(this OnnxGraph g, string a, string b) => g.Node("Add", [a, b]);
    public static string Sub(this OnnxGraph g, string a, string b) => g.Node("Sub", [a, b]);
    public static string Mul(this OnnxGraph g, string a, string b) => g.Node("Mul", [a, b]);
    public static string MatMul(this OnnxGraph g, string a, string b) => g.Node("MatMul", [a, b]);
    public static string Neg(this OnnxGraph g, string a) => g.Node("Neg", [a]);

    /// <summary>
    /// y = x·Wᵀ (+ b) for x [..,in] and W [out,in] as checkpoints store it: Gemm's transB reads W in place,
    /// so no transposed copy of any weight exists (x is flattened to rows and y shaped back).
    /// </summary>
    public static string Linear(this OnnxGraph g, string x, string weight, long inFeatures, long outFeatures, string? bias, string? output = null)
    {
        string leading = g.Slice(g.Node("Shape", [x]), axis: 0, start: 0, end: -1);
        string rows = g.Node("Gemm", [g.Reshape(x, -1, inFeatures), weight], null, Attr("transB", 1L));
        string shape = g.Concat(0, leading, g.Int64([outFeatures]));
        return bias is null ? g.Node("Reshape", [rows, shape], output) : g.Node("Add", [g.Reshape(rows, shape), bias], output);
    }

    public static string Transpose(this OnnxGraph g, string x, params long[] perm) =>
        g.Node("Transpose", [x], null, Attr("perm", perm));

    public static string Reshape(this OnnxGraph g, string x, string shape) => g.Node("Reshape", [x, shape]);

    public static string Reshape(this OnnxGraph g, string x, params long[] shape) =>
        g.Node("Reshape", [x, g.Int64(shape)]);

    public static string Unsqueeze(this OnnxGraph g, string x, params long[] axes) =>
        g.Node("Unsqueeze", [x, g.Int64(axes)]);

    public static string Squeeze(this OnnxGraph g, string x, params long[] axes) =>
        g.Node("Squeeze", [x, g.Int64(axes)]);

    public static string Cast(this OnnxGraph g, string x, TensorProto.Types.DataType to) =>
        g.Node("Cast", [x], null, Attr("to", (long)to));

    /// <summary>x[start:end] along one axis (end may be negative or long.MaxValue).</summary>
    public static string Slice(this OnnxGraph g, string x, long axis, long start, long end) =>
        g.Node("Slice", [x, g.Int64([start]), g.Int64([end]), g.Int64([axis])]);

    public static string[] Split(this OnnxGraph g, string x, long axis, params long[] sizes) =>
        g.Nodes("Split", [x, g.Int64(sizes)], sizes.Select(_ => g.Fresh("split")).ToArray(), Attr("axis", axis));

    public static string Concat(this OnnxGraph g, long axis, params string[] inputs) =>
        g.Node("Concat", inputs, null, Attr("axis", axis));

    public static string LayerNorm(this OnnxGraph g, string x, string weight, string bias, double epsilon) =>
        g.Node("LayerNormalization", [x, weight, bias], null, Attr("axis", -1L), Attr("epsilon", (float)epsilon));

    public static string Where(this OnnxGraph g, string condition, string whenTrue, string whenFalse) =>
        g.Node("Where", [condition, whenTrue, whenFalse]);
}
