using QuantaProbe.Models.Weights;
using QuantaProbe.Onnx;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;
using static QuantaProbe.Onnx.OnnxGraph;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// HF's GPTNeoXForCausalLM forward in float32, as graph nodes shared by every exported head:
/// embeddings, per layer LayerNorm, fused QKV (per-head [q|k|v] layout), NeoX rotary on the first
/// rotary_ndims of each head, causal (+ optional padding) mask, fp32 softmax, MLP, parallel or
/// sequential residual; then final LayerNorm and the untied (or tied) unembedding. Each layer's
/// activations are kept in <see cref="Layers"/> for a backward pass.
/// </summary>
internal sealed class NeoXBody(NeoXCheckpoint checkpoint, InitializerStore store, OnnxGraph g)
{
    private readonly NeoXConfig _c = checkpoint.Config;
    private readonly HashSet<string> _added = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _weights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, bool Narrow)> _initializers = new(StringComparer.Ordinal);
    private readonly bool _inPlace = WeightBinding.InPlace(checkpoint.CountParameters().Total * sizeof(float));
    private readonly List<NeoXLayerActivations> _layers = [];
    private string _attentionBias = "";

    public NeoXConfig Config => _c;
    public OnnxGraph Graph => g;

    /// <summary>Rotary tables [T,1,rotary/2] for positions 0..T-1.</summary>
    public string RotaryCos { get; private set; } = "";
    public string RotarySin { get; private set; } = "";

    public IReadOnlyList<NeoXLayerActivations> Layers => _layers;

    /// <summary>Embeds <paramref name="inputIds"/> [B,T] and returns the last layer's hidden states [B,T,H].
    /// Without an attention mask the mask is causal only.</summary>
    public string Build(string inputIds, string? attentionMask)
    {
        string x = Selected(EmbedIn, embeddings => g.Node("Gather", [embeddings, inputIds]));
        BuildPositionTables(inputIds, attentionMask);
        for (int layer = 0; layer < _c.NumLayers; layer++)
            x = Layer(layer, x);
        return x;
    }

    /// <summary>Final LayerNorm of hidden [..,H].</summary>
    public string FinalNorm(string hidden) =>
        g.LayerNorm(hidden, Weight(FinalNormWeight), Weight(FinalNormBias), _c.LayerNormEps);

    /// <summary>The head's weight [V,H]: embed_out, or embed_in itself where the embeddings are tied.</summary>
    public string UnembedWeight() => Weight(_c.TieWordEmbeddings ? EmbedIn : EmbedOut);

    /// <summary>Final LayerNorm and the (untied or tied) head: hidden [..,H] → float32 logits [..,V].</summary>
    public string Unembed(string hidden, string? output = null) =>
        g.Linear(FinalNorm(hidden), UnembedWeight(), _c.HiddenSize, _c.VocabSize, bias: null, output);

    /// <summary>Logits [..,width] of vocabulary rows [offset, offset + width) from final-normed hidden [..,H].</summary>
    public string UnembedRows(string normed, long offset, long width) =>
        g.Linear(normed, WeightRows(_c.TieWordEmbeddings ? EmbedIn : EmbedOut, offset, width), _c.HiddenSize, width, bias: null);

    /// <summary>x·Wᵀ + b for the checkpoint's linear module (W [out,in] as stored; the bias where it has one).</summary>
    private string Linear(string x, string module, bool optionalBias = true)
    {
        long[] shape = checkpoint.Weights.Info(module + ".weight").Shape;
        string? bias = optionalBias ? OptionalWeight(module + ".bias") : Weight(module + ".bias");
        return g.Linear(x, Weight(module + ".weight"), shape[1], shape[0], bias);
    }

    /// <summary>Rotary cos/sin, and the additive mask [B|1,1,T,T].</summary>
    private void BuildPositionTables(string inputIds, string? attentionMask)
    {
        string shape = g.Node("Shape", [inputIds]);
        string length = g.Node("Gather", [shape, g.ScalarInt64(1)]);
        string positions = g.Node("Range", [g.ScalarInt64(0), length, g.ScalarInt64(1)]);

        string invFreq = AddInitializer("rotary.inv_freq", InverseFrequencies, _c.RotaryDims / 2);
        string freqs = g.Mul(g.Unsqueeze(g.Cast(positions, DataType.Float), 1, 2), invFreq);
        RotaryCos = g.Node("Cos", [freqs]);
        RotarySin = g.Node("Sin", [freqs]);

        // Right padding keeps positions 0..n-1 for a sequence's real tokens; padded keys are masked.
        string allowed = g.Node("GreaterOrEqual", [g.Unsqueeze(positions, 1), g.Unsqueeze(positions, 0)]);
        if (attentionMask is not null)
        {
            string keyValid = g.Cast(g.Unsqueeze(attentionMask, 1, 2), DataType.Bool);
            allowed = g.Node("And", [allowed, keyValid]);
        }
        _attentionBias = g.Where(allowed, g.Float(0f), g.Float(float.MinValue));
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

        string ln1 = g.LayerNorm(x, Weight(Name(InputNorm + ".weight")), Weight(Name(InputNorm + ".bias")), _c.LayerNormEps);
        var attention = Attention(i, ln1);
        string mlpNormInput, output;
        if (_c.UseParallelResidual)
            mlpNormInput = x;
        else
            mlpNormInput = g.Add(attention.Output, x);
        string ln2 = g.LayerNorm(mlpNormInput, Weight(Name(PostAttentionNorm + ".weight")), Weight(Name(PostAttentionNorm + ".bias")), _c.LayerNormEps);
        var mlp = Mlp(i, ln2);
        // HF's order of summation for the parallel residual: mlp + attn + x.
        output = _c.UseParallelResidual
            ? g.Add(g.Add(mlp.Output, attention.Output), x)
            : g.Add(mlp.Output, mlpNormInput);

        _layers.Add(new NeoXLayerActivations(i, x, ln1, attention.Query, attention.KeyTransposed, attention.Value,
            attention.Probabilities, attention.Context, mlpNormInput, ln2, mlp.PreActivation, mlp.Activation));
        return output;
    }

    private (string Output, string Query, string KeyTransposed, string Value, string Probabilities, string Context) Attention(int i, string x)
    {
        string Name(string suffix) => NeoXWeightNames.Layer(i, suffix);
        int heads = _c.NumHeads, d = _c.HeadDim;

        string qkv = Linear(x, Name(Qkv));
        // HF views the fused output as [B, T, heads, 3*head_dim]: each head holds its q, k, v in turn.
        var parts = g.Split(g.Reshape(qkv, 0, 0, heads, 3 * d), axis: 3, d, d, d);
        string q = g.Transpose(Rotate(parts[0]), 0, 2, 1, 3);
        string kT = g.Transpose(Rotate(parts[1]), 0, 2, 3, 1);
        string v = g.Transpose(parts[2], 0, 2, 1, 3);

        string scores = g.Mul(g.MatMul(q, kT), g.Float(AttentionScale(d)));
        string probs = g.Node("Softmax", [g.Add(scores, _attentionBias)], null, Attr("axis", -1L));
        string context = g.Reshape(g.Transpose(g.MatMul(probs, v), 0, 2, 1, 3), 0, 0, _c.HiddenSize);
        string output = Linear(context, Name(AttentionOut));
        return (output, q, kT, v, probs, context);
    }

    public static float AttentionScale(int headDim) => (float)(1.0 / Math.Sqrt(headDim));

    /// <summary>NeoX rotate_half rotary on the first rotary_ndims of x [B,T,heads,head_dim].</summary>
    private string Rotate(string x)
    {
        int half = _c.RotaryDims / 2, rest = _c.HeadDim - _c.RotaryDims;
        var p = rest > 0 ? g.Split(x, axis: 3, half, half, rest) : g.Split(x, axis: 3, half, half);
        // x·cos + rotate_half(x)·sin with rotate_half(x) = [-x2, x1].
        string first = g.Sub(g.Mul(p[0], RotaryCos), g.Mul(p[1], RotarySin));
        string second = g.Add(g.Mul(p[1], RotaryCos), g.Mul(p[0], RotarySin));
        return rest > 0 ? g.Concat(3, first, second, p[2]) : g.Concat(3, first, second);
    }

    private (string Output, string PreActivation, string Activation) Mlp(int i, string x)
    {
        string Name(string suffix) => NeoXWeightNames.Layer(i, suffix);
        string up = Linear(x, Name(MlpUp), optionalBias: false);
        string activation = Gelu(up);
        return (Linear(activation, Name(MlpDown), optionalBias: false), up, activation);
    }

    private string Gelu(string x)
    {
        string inner;
        if (_c.Activation == GeluKind.Exact)
        {
            inner = g.Node("Erf", [g.Mul(x, g.Float((float)(1 / Math.Sqrt(2))))]);
        }
        else
        {
            string cube = g.Mul(g.Mul(x, x), x);
            string arg = g.Mul(g.Add(x, g.Mul(cube, g.Float(0.044715f))), g.Float((float)Math.Sqrt(2 / Math.PI)));
            inner = g.Node("Tanh", [arg]);
        }
        return g.Mul(g.Mul(x, g.Float(0.5f)), g.Add(inner, g.Float(1f)));
    }

    public bool HasWeight(string name) => checkpoint.Weights.Contains(name);

    public string? OptionalWeight(string name) => HasWeight(name) ? Weight(name) : null;

    /// <summary>
    /// A checkpoint tensor as a float32 value laid out as in the checkpoint, added once: a float32 initializer named
    /// as the tensor, or (<see cref="WeightBinding"/>) the tensor bound in place, cast to float32 where it is narrower.
    /// </summary>
    public string Weight(string name)
    {
        if (!_weights.TryGetValue(name, out var value))
            _weights[name] = value = Selected(name, initializer => initializer);
        return value;
    }

    /// <summary>Rows [offset, offset + width) of a weight as float32.</summary>
    private string WeightRows(string name, long offset, long width) =>
        Selected(name, initializer => g.Slice(initializer, axis: 0, start: offset, end: offset + width));

    /// <summary>
    /// <paramref name="select"/> (rows of it, or all of it) applied to the tensor's initializer, as float32: a tensor bound in
    /// place narrower than float32 is selected before its cast, so only what is selected is converted on each run.
    /// </summary>
    private string Selected(string name, Func<string, string> select)
    {
        var (initializer, narrow) = Initializer(name);
        string selected = select(initializer);
        return narrow ? g.Cast(selected, DataType.Float) : selected;
    }

    /// <summary>The tensor's initializer, added once, and whether it is narrower than float32 (bound in place as stored).</summary>
    private (string Name, bool Narrow) Initializer(string name)
    {
        if (_initializers.TryGetValue(name, out var known))
            return known;
        long[] shape = checkpoint.Weights.Info(name).Shape;
        var added = _inPlace && checkpoint.Weights.TryStored(name, out var stored)
            ? InPlace(name, stored.OnnxType, shape)
            : (AddInitializer(name, () => checkpoint.Weights.ReadFloat32(name), shape), false);
        _initializers[name] = added;
        return added;
    }

    private (string Name, bool Narrow) InPlace(string name, DataType type, long[] shape)
    {
        if (!_added.Add(name))
            throw new InvalidOperationException($"initializer '{name}' added twice");
        g.Proto.Initializer.Add(store.AddStored(name, type, () => checkpoint.Weights.TryStored(name, out var t) ? t
            : throw new InvalidOperationException($"'{name}' is no longer stored contiguously"), shape));
        // Declared as a graph input too (an overridable initializer): ONNX Runtime then treats it as a value that
        // could change, so no optimiser folds its cast into a float32 copy or reads the placeholder's data.
        g.Input(name, type, shape.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        return (name, type != DataType.Float);
    }

    /// <summary>A float32 initializer through the model's store; <paramref name="data"/> runs only when the weights are bound.</summary>
    public string AddInitializer(string name, Func<float[]> data, params long[] dims)
    {
        if (!_added.Add(name))
            throw new InvalidOperationException($"initializer '{name}' added twice");
        g.Proto.Initializer.Add(store.Add(name, data, dims));
        return name;
    }
}
