using QuantaProbe.Inference.Onnx;
using QuantaProbe.Inference.Onnx.Proto;
using QuantaProbe.Inference.Runtime;
using static QuantaProbe.Inference.NeoX.NeoXWeightNames;
using static QuantaProbe.Inference.Onnx.OnnxGraph;
using DataType = QuantaProbe.Inference.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Inference.NeoX;

/// <summary>
/// Builds HF's GPTNeoXForCausalLM in float32 as an ONNX graph. The body is shared by every head:
/// embeddings, per layer LayerNorm, fused QKV (per-head [q|k|v] layout), NeoX rotary on the first
/// rotary_ndims of each head, causal + padding mask, fp32 softmax, MLP, parallel or sequential
/// residual (<see cref="Body"/>); then final LayerNorm and the untied (or tied) unembedding
/// (<see cref="Unembed"/>); then the head the <see cref="NeoXHead"/> names: the contract's
/// <see cref="LossHead"/> (loss.onnx) or plain `logits` [B,T,V] (logits.onnx).
/// </summary>
internal sealed class NeoXGraphBuilder
{
    public const int Opset = 17;

    private readonly NeoXCheckpoint _checkpoint;
    private readonly NeoXConfig _c;
    private readonly InitializerStore _store;
    private readonly OnnxGraph _g;

    private string _rotaryCos = "", _rotarySin = "", _attentionBias = "";

    private NeoXGraphBuilder(NeoXCheckpoint checkpoint, InitializerStore store, NeoXHead head)
    {
        _checkpoint = checkpoint;
        _c = checkpoint.Config;
        _store = store;
        _g = new OnnxGraph(new GraphProto { Name = head == NeoXHead.Loss ? "quantaprobe_neox_loss" : "quantaprobe_neox_logits" });
    }

    /// <summary>The loss graph (loss.onnx).</summary>
    public static ModelProto Build(NeoXCheckpoint checkpoint, InitializerStore store) => Build(checkpoint, store, NeoXHead.Loss);

    /// <summary>The network with the given head; the body and unembedding are the same for every head.</summary>
    public static ModelProto Build(NeoXCheckpoint checkpoint, InitializerStore store, NeoXHead head) =>
        new NeoXGraphBuilder(checkpoint, store, head).BuildModel(head);

    /// <summary>The same network ending in a `logits` output [B,T,V] instead of the loss head, as Optimum exports it.</summary>
    internal static ModelProto BuildLogits(NeoXCheckpoint checkpoint, InitializerStore store) => Build(checkpoint, store, NeoXHead.Logits);

    private ModelProto BuildModel(NeoXHead head)
    {
        string hidden = Body();
        switch (head)
        {
            case NeoXHead.Loss:
                // Only positions 0..T-2 predict a token, so the last position never reaches the head
                // (LayerNorm is per position, so slicing before it changes nothing else).
                LossHead.Append(_g, Unembed(_g.Slice(hidden, axis: 1, start: 0, end: -1)));
                break;
            case NeoXHead.Logits:
                Unembed(hidden, output: LogitsGraphAdapter.Logits);
                _g.Output(LogitsGraphAdapter.Logits, DataType.Float, "batch", "sequence", _c.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(head), head, null);
        }

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "QuantaProbe",
            ProducerVersion = typeof(NeoXGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Graph = _g.Proto,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = LossRunner.VocabSizeKey, Value = _c.VocabSize.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Rotary positions have no table to run off, so the runner may pad batches to a length bucket.
        model.MetadataProps.Add(new StringStringEntryProto { Key = LossRunner.PadToMultipleKey, Value = "8" });
        return model;
    }

    /// <summary>Declares the inputs input_ids/attention_mask [B,T] and returns the last layer's hidden states [B,T,H].</summary>
    private string Body()
    {
        _g.Input(LossHead.InputIds, DataType.Int64, "batch", "sequence");
        _g.Input(LossHead.AttentionMask, DataType.Int64, "batch", "sequence");

        string x = _g.Node("Gather", [Weight(EmbedIn, transpose: false), LossHead.InputIds]);
        BuildPositionTables();
        for (int layer = 0; layer < _c.NumLayers; layer++)
            x = Layer(layer, x);
        return x;
    }

    /// <summary>Final LayerNorm and the (untied or tied) head: hidden [B,T',H] → float32 logits [B,T',V].</summary>
    private string Unembed(string hidden, string? output = null)
    {
        string h = _g.LayerNorm(hidden, Weight(FinalNormWeight), Weight(FinalNormBias), _c.LayerNormEps);
        string head = _c.TieWordEmbeddings ? WeightAs(EmbedIn, "embed_out.weight.tied") : Weight(EmbedOut);
        return _g.Node("MatMul", [h, head], output);
    }

    /// <summary>Rotary cos/sin [T,1,rotary/2] for positions 0..T-1, and the additive mask [B,1,T,T].</summary>
    private void BuildPositionTables()
    {
        string shape = _g.Node("Shape", [LossHead.InputIds]);
        string length = _g.Node("Gather", [shape, _g.ScalarInt64(1)]);
        string positions = _g.Node("Range", [_g.ScalarInt64(0), length, _g.ScalarInt64(1)]);

        string invFreq = AddInitializer("rotary.inv_freq", InverseFrequencies(), _c.RotaryDims / 2);
        string freqs = _g.Mul(_g.Unsqueeze(_g.Cast(positions, DataType.Float), 1, 2), invFreq);
        _rotaryCos = _g.Node("Cos", [freqs]);
        _rotarySin = _g.Node("Sin", [freqs]);

        // Right padding keeps positions 0..n-1 for a sequence's real tokens; padded keys are masked.
        string causal = _g.Node("GreaterOrEqual", [_g.Unsqueeze(positions, 1), _g.Unsqueeze(positions, 0)]);
        string keyValid = _g.Cast(_g.Unsqueeze(LossHead.AttentionMask, 1, 2), DataType.Bool);
        string allowed = _g.Node("And", [causal, keyValid]);
        _attentionBias = _g.Where(allowed, _g.Float(0f), _g.Float(float.MinValue));
    }

    /// <summary>HF: 1 / base^(arange(0, rot, 2) / rot), computed in float32 as torch does.</summary>
    private float[] InverseFrequencies()
    {
        int rot = _c.RotaryDims;
        var inv = new float[rot / 2];
        for (int i = 0; i < inv.Length; i++)
            inv[i] = 1f / MathF.Pow((float)_c.RotaryBase, (float)(2 * i) / rot);
        return inv;
    }

    private string Layer(int i, string x)
    {
        string Name(string suffix) => NeoXWeightNames.Layer(i, suffix);

        string ln1 = _g.LayerNorm(x, Weight(Name(InputNorm + ".weight")), Weight(Name(InputNorm + ".bias")), _c.LayerNormEps);
        string attention = Attention(i, ln1);
        if (_c.UseParallelResidual)
        {
            string ln2 = _g.LayerNorm(x, Weight(Name(PostAttentionNorm + ".weight")), Weight(Name(PostAttentionNorm + ".bias")), _c.LayerNormEps);
            // HF's order of summation: mlp + attn + x.
            return _g.Add(_g.Add(Mlp(i, ln2), attention), x);
        }
        string afterAttention = _g.Add(attention, x);
        string ln = _g.LayerNorm(afterAttention, Weight(Name(PostAttentionNorm + ".weight")), Weight(Name(PostAttentionNorm + ".bias")), _c.LayerNormEps);
        return _g.Add(Mlp(i, ln), afterAttention);
    }

    private string Attention(int i, string x)
    {
        string Name(string suffix) => NeoXWeightNames.Layer(i, suffix);
        int heads = _c.NumHeads, d = _c.HeadDim;

        string qkv = _g.Linear(x, Weight(Name(Qkv + ".weight")), OptionalWeight(Name(Qkv + ".bias")));
        // HF views the fused output as [B, T, heads, 3*head_dim]: each head holds its q, k, v in turn.
        var parts = _g.Split(_g.Reshape(qkv, 0, 0, heads, 3 * d), axis: 3, d, d, d);
        string q = _g.Transpose(Rotate(parts[0]), 0, 2, 1, 3);
        string kT = _g.Transpose(Rotate(parts[1]), 0, 2, 3, 1);
        string v = _g.Transpose(parts[2], 0, 2, 1, 3);

        string scores = _g.Mul(_g.MatMul(q, kT), _g.Float((float)(1.0 / Math.Sqrt(d))));
        string probs = _g.Node("Softmax", [_g.Add(scores, _attentionBias)], null, Attr("axis", -1L));
        string context = _g.Reshape(_g.Transpose(_g.MatMul(probs, v), 0, 2, 1, 3), 0, 0, _c.HiddenSize);
        return _g.Linear(context, Weight(Name(AttentionOut + ".weight")), OptionalWeight(Name(AttentionOut + ".bias")));
    }

    /// <summary>NeoX rotate_half rotary on the first rotary_ndims of x [B,T,heads,head_dim].</summary>
    private string Rotate(string x)
    {
        int half = _c.RotaryDims / 2, rest = _c.HeadDim - _c.RotaryDims;
        var p = rest > 0 ? _g.Split(x, axis: 3, half, half, rest) : _g.Split(x, axis: 3, half, half);
        // x·cos + rotate_half(x)·sin with rotate_half(x) = [-x2, x1].
        string first = _g.Sub(_g.Mul(p[0], _rotaryCos), _g.Mul(p[1], _rotarySin));
        string second = _g.Add(_g.Mul(p[1], _rotaryCos), _g.Mul(p[0], _rotarySin));
        return rest > 0 ? _g.Concat(3, first, second, p[2]) : _g.Concat(3, first, second);
    }

    private string Mlp(int i, string x)
    {
        string Name(string suffix) => NeoXWeightNames.Layer(i, suffix);
        string up = _g.Linear(x, Weight(Name(MlpUp + ".weight")), Weight(Name(MlpUp + ".bias")));
        return _g.Linear(Gelu(up), Weight(Name(MlpDown + ".weight")), Weight(Name(MlpDown + ".bias")));
    }

    private string Gelu(string x)
    {
        string inner;
        if (_c.Activation == GeluKind.Exact)
        {
            inner = _g.Node("Erf", [_g.Mul(x, _g.Float((float)(1 / Math.Sqrt(2))))]);
        }
        else
        {
            string cube = _g.Mul(_g.Mul(x, x), x);
            string arg = _g.Mul(_g.Add(x, _g.Mul(cube, _g.Float(0.044715f))), _g.Float((float)Math.Sqrt(2 / Math.PI)));
            inner = _g.Node("Tanh", [arg]);
        }
        return _g.Mul(_g.Mul(x, _g.Float(0.5f)), _g.Add(inner, _g.Float(1f)));
    }

    private string? OptionalWeight(string name) => _checkpoint.Weights.Contains(name) ? Weight(name) : null;

    /// <summary>A checkpoint tensor as a float32 initializer; 2-D Linear weights [out,in] are stored transposed for MatMul.</summary>
    private string Weight(string name, bool transpose = true) => WeightAs(name, name, transpose);

    private string WeightAs(string name, string initializerName, bool transpose = true)
    {
        var info = _checkpoint.Weights.Info(name);
        float[] data = _checkpoint.Weights.ReadFloat32(name);
        long[] dims = info.Shape;
        if (transpose && dims.Length == 2)
        {
            data = Transposed(data, (int)dims[0], (int)dims[1]);
            dims = [dims[1], dims[0]];
        }
        return AddInitializer(initializerName, data, dims);
    }

    private string AddInitializer(string name, float[] data, params long[] dims)
    {
        _g.Proto.Initializer.Add(_store.Add(name, data, dims));
        return name;
    }

    private static float[] Transposed(float[] m, int rows, int cols)
    {
        var t = new float[m.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                t[(long)c * rows + r] = m[(long)r * cols + c];
        return t;
    }
}
