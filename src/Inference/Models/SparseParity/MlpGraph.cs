using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using static QuantaProbe.Onnx.OnnxGraph;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Models.SparseParity;

/// <summary>
/// The sparse-parity MLP's forward pass as ONNX nodes, shared by loss.onnx and grad.onnx: token
/// sequences (<see cref="SparseParityVocabulary"/>) → the input x = [one-hot control, task bits],
/// pre = x·W1ᵀ + b1, h = ReLU(pre), logits = h·W2ᵀ + b2, and the label's cross-entropy.
/// </summary>
internal sealed class MlpGraph(OnnxGraph g, MlpCheckpoint checkpoint, InitializerStore store)
{
    private readonly MlpConfig _c = checkpoint.Config;

    public OnnxGraph G => g;
    public MlpConfig Config => _c;

    /// <summary>A checkpoint tensor as an initializer of the same name and shape (nn.Linear's [out,in]).</summary>
    public string Weight(string name) => AddInitializer(name, () => checkpoint.Weights.ReadFloat32(name), checkpoint.Weights.Info(name).Shape);

    /// <summary>A float32 initializer through the model's store; <paramref name="data"/> runs only when the weights are bound.</summary>
    public string AddInitializer(string name, Func<float[]> data, long[] dims)
    {
        g.Proto.Initializer.Add(store.Add(name, data, dims));
        return name;
    }

    /// <summary>x [B, tasks+bits] float from input_ids [B,L].</summary>
    public string Input(string inputIds)
    {
        var v = _c.Vocabulary;
        string control = g.Node("Gather", [inputIds, g.ScalarInt64(0)], null, Attr("axis", 1L));
        string oneHot = g.Node("OneHot", [control, g.ScalarInt64(v.Tasks), g.Node("Constant", [], null, FloatValues("value", 0f, 1f))], null, Attr("axis", -1L));
        string bits = g.Cast(g.Sub(g.Slice(inputIds, axis: 1, start: 1, end: 1 + v.Bits), g.ScalarInt64(v.BitToken(0))), DataType.Float);
        return g.Concat(1, oneHot, bits);
    }

    /// <summary>The label (0/1) [B] of the token at <paramref name="position"/> ([B] int64) or at the fixed label position.</summary>
    public string Label(string inputIds, string? position = null)
    {
        var v = _c.Vocabulary;
        string token = position is null
            ? g.Node("Gather", [inputIds, g.ScalarInt64(v.LabelPosition)], null, Attr("axis", 1L))
            : g.Node("GatherND", [inputIds, g.Unsqueeze(position, 1)], null, Attr("batch_dims", 1L));
        // Clipped so that a non-label token (a warm-up batch, a wrong position) cannot index outside the 2 logits.
        return g.Node("Clip", [g.Sub(token, g.ScalarInt64(v.LabelToken(0))), g.ScalarInt64(0), g.ScalarInt64(1)]);
    }

    public (string Pre, string Hidden, string Logits) Forward(string x)
    {
        string pre = g.Node("Gemm", [x, Weight(MlpCheckpoint.Fc1 + ".weight"), Weight(MlpCheckpoint.Fc1 + ".bias")], null, Attr("transB", 1L));
        string hidden = g.Node("Relu", [pre]);
        string logits = g.Node("Gemm", [hidden, Weight(MlpCheckpoint.Fc2 + ".weight"), Weight(MlpCheckpoint.Fc2 + ".bias")], null, Attr("transB", 1L));
        return (pre, hidden, logits);
    }

    /// <summary>
    /// Cross-entropy [B] of <paramref name="label"/> under <paramref name="logits"/> [B,2], with softmax [B,2],
    /// log-sum-exp [B,1] and onehot(label) [B,2]. The loss is log(1 + u), u = Σ_{j≠y} exp(z_j − z_y):
    /// below u = 1e-3 its series, since lse − z_y in float32 is 0 for any loss under ~6e-8 nats, and a
    /// trained toy predicts most examples far more confidently than that.
    /// </summary>
    public (string Loss, string Softmax, string LogSumExp, string OneHot) CrossEntropy(string logits, string label, string? lossOutput = null)
    {
        string max = g.Node("ReduceMax", [logits], null, Attr("axes", new[] { 1L }), Attr("keepdims", 1L));
        string exp = g.Node("Exp", [g.Sub(logits, max)]);
        string sum = g.Node("ReduceSum", [exp, g.Int64([1L])], null, Attr("keepdims", 1L));
        string logSumExp = g.Add(max, g.Node("Log", [sum]));
        string picked = g.Node("GatherElements", [logits, g.Unsqueeze(label, 1)], null, Attr("axis", 1L));
        string oneHot = g.Cast(g.Node("Equal", [g.Unsqueeze(g.Int64([0L, 1L]), 0), g.Unsqueeze(label, 1)]), DataType.Float);

        string others = g.Mul(g.Node("Exp", [g.Sub(logits, picked)]), g.Sub(g.Float(1f), oneHot));
        string u = g.Node("ReduceSum", [others, g.Int64([1L])], null, Attr("keepdims", 1L));              // [B,1]
        string series = g.Mul(u, g.Sub(g.Float(1f), g.Mul(u, g.Sub(g.Float(0.5f), g.Mul(u, g.Float(1f / 3))))));
        string direct = g.Sub(logSumExp, picked);
        string loss = g.Node("Where", [g.Node("Less", [u, g.Float(1e-3f)]), series, direct]);
        loss = g.Node("Squeeze", [loss, g.Int64([1L])], lossOutput);
        return (loss, g.Node("Div", [exp, sum]), logSumExp, oneHot);
    }

    private static AttributeProto FloatValues(string name, params float[] values)
    {
        var tensor = new TensorProto { DataType = (int)DataType.Float };
        tensor.Dims.Add(values.Length);
        tensor.FloatData.AddRange(values);
        return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }
}
