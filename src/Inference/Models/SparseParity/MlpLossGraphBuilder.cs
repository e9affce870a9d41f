using System.Globalization;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Models.SparseParity;

/// <summary>
/// loss.onnx for a sparse-parity MLP, under the language-model contract: token_loss and
/// token_entropy [B,L−1] hold the label's cross-entropy at the prediction of the label position
/// and 0 elsewhere; the metadata names that one scored position so infer writes only its row.
/// </summary>
internal static class MlpLossGraphBuilder
{
    public static ModelProto Build(MlpCheckpoint checkpoint, InitializerStore store)
    {
        var g = new OnnxGraph(new GraphProto { Name = "quantaprobe_sparse_parity_loss" });
        var mlp = new MlpGraph(g, checkpoint, store);
        var v = checkpoint.Config.Vocabulary;
        g.Input(LossHead.InputIds, DataType.Int64, "batch", "sequence");
        g.Input(LossHead.AttentionMask, DataType.Int64, "batch", "sequence");

        var (_, _, logits) = mlp.Forward(mlp.Input(LossHead.InputIds));
        var (loss, softmax, logSumExp, _) = mlp.CrossEntropy(logits, mlp.Label(LossHead.InputIds));
        string entropy = g.Sub(g.Squeeze(logSumExp, 1), g.Node("ReduceSum", [g.Mul(softmax, logits), g.Int64([1L])], null, OnnxGraph.Attr("keepdims", 0L)));

        // Column LabelPosition−1 of [B, L−1] predicts the label; every other column is 0.
        string length = g.Node("Gather", [g.Node("Shape", [LossHead.InputIds]), g.ScalarInt64(1)]);
        string columns = g.Node("Range", [g.ScalarInt64(0), g.Sub(length, g.ScalarInt64(1)), g.ScalarInt64(1)]);
        string isLabel = g.Unsqueeze(g.Node("Equal", [columns, g.ScalarInt64(v.LabelPosition - 1)]), 0);
        string valid = g.Cast(g.Node("Gather", [LossHead.AttentionMask, g.Int64([v.LabelPosition])], null, OnnxGraph.Attr("axis", 1L)), DataType.Bool);
        string scored = g.Node("And", [isLabel, valid]);
        g.Node("Where", [scored, g.Unsqueeze(loss, 1), g.Float(0f)], LossHead.TokenLoss);
        g.Node("Where", [scored, g.Unsqueeze(entropy, 1), g.Float(0f)], LossHead.TokenEntropy);
        g.Output(LossHead.TokenLoss, DataType.Float, "batch", "predictions");
        g.Output(LossHead.TokenEntropy, DataType.Float, "batch", "predictions");

        var model = OnnxModel.New(g.Proto);
        AddMetadata(model, checkpoint.Config);
        return model;
    }

    public static void AddMetadata(ModelProto model, MlpConfig c)
    {
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.VocabSizeKey, Value = c.Vocabulary.VocabularySize.ToString(CultureInfo.InvariantCulture) });
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.ScoredPositionKey, Value = c.Vocabulary.LabelPosition.ToString(CultureInfo.InvariantCulture) });
    }
}
