using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;
using Names = QuantaProbe.Models.Gradients.GradientGraphNames;

namespace QuantaProbe.Models.SparseParity;

/// <summary>
/// grad.onnx for a sparse-parity MLP: per example, the label's loss and its gradient with respect
/// to fc1 and fc2 (weights and biases, every parameter, as the paper's toy QDG), exact or sketched
/// through the same <see cref="LinearGradientSink"/> as the GPT-NeoX graphs. Backward by hand:
/// dz = softmax − onehot(label) (<see cref="CrossEntropyBackward"/>), dh = dz·W2 ⊙ [pre &gt; 0].
/// </summary>
internal static class MlpGradientGraphBuilder
{
    public static ModelProto Build(MlpCheckpoint checkpoint, InitializerStore store, GradientOptions options)
    {
        options.Validate();
        var g = new OnnxGraph(new GraphProto { Name = "quantaprobe_sparse_parity_grad" });
        var mlp = new MlpGraph(g, checkpoint, store);
        var c = checkpoint.Config;
        g.Input(Names.InputIds, DataType.Int64, "batch", "sequence");
        g.Input(Names.TargetPosition, DataType.Int64, "batch");

        string x = mlp.Input(Names.InputIds);
        var (pre, hidden, logits) = mlp.Forward(x);
        string label = mlp.Label(Names.InputIds, Names.TargetPosition);
        var (_, softmax, _, oneHot) = mlp.CrossEntropy(logits, label, Names.Loss);
        g.Output(Names.Loss, DataType.Float, "batch");
        string dLogits = CrossEntropyBackward.LogitGradient(g, softmax, oneHot);                 // [B,2]
        string dHidden = g.Mul(g.MatMul(dLogits, MlpCheckpoint.Fc2 + ".weight"), g.Cast(g.Node("Greater", [pre, g.Float(0f)]), DataType.Float));

        var sink = new LinearGradientSink(g, options, mlp.AddInitializer);
        sink.Add(MlpCheckpoint.Fc2, g.Unsqueeze(hidden, 1), c.HiddenSize, g.Unsqueeze(dLogits, 1), 2, hasBias: true);
        sink.Add(MlpCheckpoint.Fc1, g.Unsqueeze(x, 1), c.Vocabulary.InputWidth, g.Unsqueeze(dHidden, 1), c.HiddenSize, hasBias: true);
        var layout = sink.Concat(MlpCheckpoint.ParameterOrder, Names.GradientSketch);

        var model = OnnxModel.New(g.Proto);
        foreach (var (key, value) in new GradientMetadata(options, layout.Sum(s => s.Length), layout).Entries())
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        MlpLossGraphBuilder.AddMetadata(model, c);
        return model;
    }
}
