using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;
using static QuantaProbe.Onnx.OnnxGraph;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;
using Names = QuantaProbe.Models.Gradients.GradientGraphNames;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// grad.onnx: the NeoX forward (<see cref="NeoXBody"/>, causal mask only), the loss of each example's
/// target token, and a hand-written backward pass emitted as ONNX nodes down to every layer's
/// linear parameters, each example's gradient kept separate and reduced by a <see cref="LinearGradientSink"/>.
/// </summary>
internal sealed class NeoXGradientGraphBuilder
{
    private readonly NeoXBody _body;
    private readonly OnnxGraph _g;
    private readonly NeoXConfig _c;
    private readonly GradientOptions _options;
    private readonly LinearGradientSink _sink;

    private NeoXGradientGraphBuilder(NeoXCheckpoint checkpoint, InitializerStore store, GradientOptions options)
    {
        _g = new OnnxGraph(new GraphProto { Name = "quantaprobe_neox_grad" });
        _body = new NeoXBody(checkpoint, store, _g);
        _c = checkpoint.Config;
        _options = options;
        _sink = new LinearGradientSink(_g, options, (name, data, dims) => _body.AddInitializer(name, data, dims));
    }

    public static ModelProto Build(NeoXCheckpoint checkpoint, InitializerStore store, GradientOptions options)
    {
        options.Validate();
        return new NeoXGradientGraphBuilder(checkpoint, store, options).BuildModel(checkpoint);
    }

    /// <summary>The parameters whose gradients a row holds, in order: per layer QKV, dense, h_to_4h, 4h_to_h (weight, then bias if present).</summary>
    public static IReadOnlyList<string> ParameterOrder(NeoXCheckpoint checkpoint)
    {
        var names = new List<string>();
        for (int i = 0; i < checkpoint.Config.NumLayers; i++)
            foreach (var module in new[] { Qkv, AttentionOut, MlpUp, MlpDown })
                foreach (var suffix in new[] { ".weight", ".bias" })
                    if (checkpoint.Weights.Contains(Layer(i, module + suffix)))
                        names.Add(Layer(i, module + suffix));
        return names;
    }

    private ModelProto BuildModel(NeoXCheckpoint checkpoint)
    {
        _g.Input(Names.InputIds, DataType.Int64, "batch", "sequence");
        _g.Input(Names.TargetPosition, DataType.Int64, "batch");
        string hidden = _body.Build(Names.InputIds, attentionMask: null);

        string dHidden = LossAndHiddenGradient(hidden);
        for (int i = _c.NumLayers - 1; i >= 0; i--)
            dHidden = LayerBackward(_body.Layers[i], dHidden, needInputGradient: i > 0)!;

        var layout = _sink.Concat(ParameterOrder(checkpoint), Names.GradientSketch);
        var metadata = new GradientMetadata(_options, layout.Sum(s => s.Length), layout);

        var model = OnnxModel.New(_g.Proto);
        foreach (var (key, value) in metadata.Entries())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.VocabSizeKey, Value = _c.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Causal attention: positions after the target never reach the loss, so right padding is free.
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.PadToMultipleKey, Value = "8" });
        return model;
    }

    /// <summary>
    /// Declares `loss` [B] (−log softmax(logits[b,p−1])[input_ids[b,p]]) and returns the loss's
    /// gradient with respect to the last layer's output [B,T,H]: nonzero only at row p−1.
    /// Only that row is unembedded, so no [B,T,V] tensor exists.
    /// </summary>
    private string LossAndHiddenGradient(string hidden)
    {
        var g = _g;
        string predictingRow = g.Unsqueeze(g.Sub(Names.TargetPosition, g.ScalarInt64(1)), 1);   // [B,1]
        string row = g.Node("GatherND", [hidden, predictingRow], null, Attr("batch_dims", 1L));  // [B,H]
        string target = g.Node("GatherND", [Names.InputIds, g.Unsqueeze(Names.TargetPosition, 1)], null, Attr("batch_dims", 1L)); // [B]

        string weight = _body.UnembedWeight();
        string logits = g.Node("Gemm", [_body.FinalNorm(row), weight], null, Attr("transB", 1L));  // [B,V]
        string max = g.Node("ReduceMax", [logits], null, Attr("axes", new[] { -1L }), Attr("keepdims", 1L));
        string exp = g.Node("Exp", [g.Sub(logits, max)]);
        string sum = g.Node("ReduceSum", [exp, g.Int64([-1L])], null, Attr("keepdims", 1L));
        string logSumExp = g.Add(max, g.Node("Log", [sum]));
        string picked = g.Node("GatherElements", [logits, g.Unsqueeze(target, 1)], null, Attr("axis", 1L));
        g.Node("Squeeze", [g.Sub(logSumExp, picked), g.Int64([1L])], Names.Loss);
        g.Output(Names.Loss, DataType.Float, "batch");

        // d loss / d logits = softmax − onehot(target).
        string vocabulary = g.Node("Range", [g.ScalarInt64(0), g.ScalarInt64(_c.VocabSize), g.ScalarInt64(1)]);
        string oneHot = g.Cast(g.Node("Equal", [g.Unsqueeze(vocabulary, 0), g.Unsqueeze(target, 1)]), DataType.Float);
        string dLogits = CrossEntropyBackward.LogitGradient(g, g.Node("Div", [exp, sum]), oneHot);
        string dNormed = LinearBackward.InputGradient(g, dLogits, weight);
        string dRow = LayerNormBackward.InputGradient(g, row, _body.Weight(FinalNormWeight), dNormed, _c.LayerNormEps);

        string positions = g.Node("Range", [g.ScalarInt64(0), g.Node("Gather", [g.Node("Shape", [Names.InputIds]), g.ScalarInt64(1)]), g.ScalarInt64(1)]);
        string isRow = g.Cast(g.Node("Equal", [g.Unsqueeze(positions, 0), predictingRow]), DataType.Float);  // [B,T]
        return g.Mul(g.Unsqueeze(isRow, 2), g.Unsqueeze(dRow, 1));
    }

    /// <summary>From the gradient of a layer's output to that of its input (null when not needed).</summary>
    private string? LayerBackward(NeoXLayerActivations a, string dOutput, bool needInputGradient)
    {
        string Norm(string suffix) => _body.Weight(Layer(a.Layer, suffix + ".weight"));
        string NormBackward(string x, string norm, string dy) => LayerNormBackward.InputGradient(_g, x, Norm(norm), dy, _c.LayerNormEps);

        // Parallel: y = x + attn(ln1(x)) + mlp(ln2(x)). Sequential: r = x + attn(ln1(x)), y = r + mlp(ln2(r)).
        string dMlpNormed = NeoXMlpBackward.Build(_body, _sink, a, dOutput);
        string? dMlpInput = _c.UseParallelResidual && !needInputGradient ? null : NormBackward(a.MlpNormInput, PostAttentionNorm, dMlpNormed);
        string dResidual = _c.UseParallelResidual ? dOutput : _g.Add(dOutput, dMlpInput!);
        string? dAttentionNormed = NeoXAttentionBackward.Build(_body, _sink, a, dResidual, needInputGradient);
        if (!needInputGradient)
            return null;
        string dInput = _g.Add(dResidual, NormBackward(a.Input, InputNorm, dAttentionNormed!));
        return _c.UseParallelResidual ? _g.Add(dInput, dMlpInput!) : dInput;
    }
}
