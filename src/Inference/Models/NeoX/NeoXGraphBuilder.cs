using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// Builds HF's GPTNeoXForCausalLM in float32 as an ONNX graph: the shared <see cref="NeoXBody"/>
/// (layers, final LayerNorm, unembedding), then the head the <see cref="ModelGraphKind"/> names: the contract's
/// <see cref="LossHead"/> (loss.onnx), plain `logits` [B,T,V] (logits.onnx) or the sampling
/// <see cref="NextLogitsHead"/> (next.onnx).
/// </summary>
internal sealed class NeoXGraphBuilder
{
    private readonly NeoXConfig _c;
    private readonly OnnxGraph _g;
    private readonly NeoXBody _body;

    private NeoXGraphBuilder(NeoXCheckpoint checkpoint, InitializerStore store, ModelGraphKind head)
    {
        _c = checkpoint.Config;
        _g = new OnnxGraph(new GraphProto { Name = head switch
        {
            ModelGraphKind.Loss => "quantaprobe_neox_loss",
            ModelGraphKind.NextLogits => "quantaprobe_neox_next_logits",
            _ => "quantaprobe_neox_logits",
        } });
        _body = new NeoXBody(checkpoint, store, _g);
    }

    /// <summary>The network with the given head; the body and unembedding are the same for every head.</summary>
    public static ModelProto Build(NeoXCheckpoint checkpoint, InitializerStore store, ModelGraphKind head) =>
        new NeoXGraphBuilder(checkpoint, store, head).BuildModel(head);

    /// <summary>The same network ending in a `logits` output [B,T,V] instead of the loss head, as Optimum exports it.</summary>
    internal static ModelProto BuildLogits(NeoXCheckpoint checkpoint, InitializerStore store) => Build(checkpoint, store, ModelGraphKind.Logits);

    private ModelProto BuildModel(ModelGraphKind head)
    {
        _g.Input(LossHead.InputIds, DataType.Int64, "batch", "sequence");
        _g.Input(LossHead.AttentionMask, DataType.Int64, "batch", "sequence");
        string hidden = _body.Build(LossHead.InputIds, LossHead.AttentionMask);
        switch (head)
        {
            case ModelGraphKind.Loss:
                // Only positions 0..T-2 predict a token, so the last position never reaches the head
                // (LayerNorm is per position, so slicing before it changes nothing else).
                var predicting = _g.Slice(hidden, axis: 1, start: 0, end: -1);
                var slices = LossHead.Slices(_c.VocabSize);
                if (slices.Count == 1)
                {
                    LossHead.Append(_g, _body.Unembed(predicting));
                }
                else
                {
                    string normed = _body.FinalNorm(predicting);
                    LossHead.Append(_g, normed, slices, _body.UnembedRows);
                }
                break;
            case ModelGraphKind.Logits:
                _body.Unembed(hidden, output: LogitsGraphAdapter.Logits);
                _g.Output(LogitsGraphAdapter.Logits, DataType.Float, "batch", "sequence", _c.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case ModelGraphKind.NextLogits:
                // The final LayerNorm and the unembedding are per position: gathering first leaves the result unchanged.
                _body.Unembed(NextLogitsHead.LastPosition(_g, hidden), output: NextLogitsHead.NextLogits);
                NextLogitsHead.DeclareOutput(_g, _c.VocabSize);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(head), head, null);
        }

        var model = OnnxModel.New(_g.Proto);
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.VocabSizeKey, Value = _c.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Rotary positions have no table to run off, so the runner may pad batches to a length bucket.
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.PadToMultipleKey, Value = "8" });
        return model;
    }
}
