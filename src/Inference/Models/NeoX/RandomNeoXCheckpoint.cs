using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using QuantaProbe.Models.Torch;

namespace QuantaProbe.Models.NeoX;

/// <summary>
/// A GPT-NeoX shape (Pythia's config fields), for checkpoints of seeded random weights that benchmarks
/// and tests write: as F16 model.safetensors, or as F16 pytorch_model.bin with Pythia's buffers. The
/// same seed gives the same weights in both formats.
/// </summary>
internal sealed record NeoXShape(string Name, int Vocab, int Hidden, int Layers, int Heads, int Intermediate)
{
    public static readonly NeoXShape Pythia70m = new("pythia-70m-shape", 50304, 512, 6, 8, 2048);
    public static readonly NeoXShape Pythia1b = new("pythia-1b-shape", 50304, 2048, 16, 8, 8192);

    /// <summary>Every tensor of an untied GPTNeoXForCausalLM with attention biases, in HF's names and [out,in] layout.</summary>
    public IEnumerable<(string Name, long[] Shape)> Tensors()
    {
        long h = Hidden, v = Vocab, m = Intermediate;
        yield return ("gpt_neox.embed_in.weight", [v, h]);
        for (int i = 0; i < Layers; i++)
        {
            string p = $"gpt_neox.layers.{i}.";
            yield return (p + "input_layernorm.weight", [h]);
            yield return (p + "input_layernorm.bias", [h]);
            yield return (p + "post_attention_layernorm.weight", [h]);
            yield return (p + "post_attention_layernorm.bias", [h]);
            yield return (p + "attention.query_key_value.weight", [3 * h, h]);
            yield return (p + "attention.query_key_value.bias", [3 * h]);
            yield return (p + "attention.dense.weight", [h, h]);
            yield return (p + "attention.dense.bias", [h]);
            yield return (p + "mlp.dense_h_to_4h.weight", [m, h]);
            yield return (p + "mlp.dense_h_to_4h.bias", [m]);
            yield return (p + "mlp.dense_4h_to_h.weight", [h, m]);
            yield return (p + "mlp.dense_4h_to_h.bias", [h]);
        }
        yield return ("gpt_neox.final_layer_norm.weight", [h]);
        yield return ("gpt_neox.final_layer_norm.bias", [h]);
        yield return ("embed_out.weight", [v, h]);
    }

    public long Parameters => Tensors().Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>The weights as float32 (what a session holds once bound).</summary>
    public long Float32Bytes => Parameters * sizeof(float);

    /// <summary>Multiply-adds per token in the forward's weight GEMMs (QKV, dense, MLP up/down, unembedding).</summary>
    public long GemmMacsPerToken => Layers * ((long)Hidden * 3 * Hidden + (long)Hidden * Hidden + 2L * Hidden * Intermediate) + (long)Hidden * Vocab;

    /// <summary>Pythia's max_position_embeddings: the side of each layer's causal-mask buffer.</summary>
    public const int MaxPositions = 2048;

    private const double RotaryPct = 0.25;

    /// <summary>Writes config.json and an F16 model.safetensors of seeded random weights (LayerNorms 1 and 0, as initialised) into <paramref name="folder"/>.</summary>
    public void WriteCheckpoint(string folder, int seed)
    {
        WriteConfig(folder);
        var tensors = Tensors().ToList();
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, shape) in tensors)
        {
            long bytes = shape.Aggregate(2L, (a, b) => a * b);
            header[name] = new JsonObject { ["dtype"] = "F16", ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["data_offsets"] = new JsonArray(offset, offset + bytes) };
            offset += bytes;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        using var stream = new FileStream(Path.Combine(folder, "model.safetensors"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write(BitConverter.GetBytes((ulong)padded));
        stream.Write(json);
        for (int i = json.Length; i < padded; i++)
            stream.WriteByte((byte)' ');
        var random = new Random(seed);
        var chunk = new Half[1 << 20];
        foreach (var (name, shape) in tensors)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            for (long done = 0; done < count; done += chunk.Length)
            {
                var span = chunk.AsSpan(0, (int)Math.Min(chunk.Length, count - done));
                Fill(name, span, random);
                stream.Write(MemoryMarshal.AsBytes(span));
            }
        }
    }

    /// <summary>
    /// Writes config.json and an F16 pytorch_model.bin (torch.save's zip format) of the weights
    /// <see cref="WriteCheckpoint"/> writes for <paramref name="seed"/>, with the buffers Pythia's
    /// checkpoints carry: each layer's causal mask attention.bias (uint8 [1,1,2048,2048]),
    /// attention.masked_bias (F32 scalar) and attention.rotary_emb.inv_freq (F32).
    /// </summary>
    public void WriteTorchCheckpoint(string folder, int seed)
    {
        WriteConfig(folder);
        var random = new Random(seed);
        var tensors = new List<TorchTensorData>();
        foreach (var (name, shape) in Tensors())
        {
            var values = new Half[shape.Aggregate(1L, (a, b) => a * b)];
            // Fill in the chunks WriteCheckpoint uses, so one seed draws the same numbers in both formats.
            for (int done = 0; done < values.Length; done += 1 << 20)
                Fill(name, values.AsSpan(done, Math.Min(1 << 20, values.Length - done)), random);
            tensors.Add(new TorchTensorData(name, "F16", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray()));
            if (name.EndsWith(".post_attention_layernorm.bias", StringComparison.Ordinal))
                tensors.AddRange(LayerBuffers(name[..^"post_attention_layernorm.bias".Length]));
        }
        TorchCheckpointWriter.Write(Path.Combine(folder, "pytorch_model.bin"), tensors);
    }

    private IEnumerable<TorchTensorData> LayerBuffers(string layerPrefix)
    {
        var mask = new byte[MaxPositions * MaxPositions];
        for (int row = 0; row < MaxPositions; row++)
            mask.AsSpan(row * MaxPositions, row + 1).Fill(1);
        yield return new TorchTensorData(layerPrefix + "attention.bias", "U8", [1, 1, MaxPositions, MaxPositions], mask);
        yield return new TorchTensorData(layerPrefix + "attention.masked_bias", "F32", [], BitConverter.GetBytes(-1e9f));
        int rotaryDims = (int)(Hidden / Heads * RotaryPct);
        var inverseFrequencies = Enumerable.Range(0, rotaryDims / 2).Select(i => (float)(1.0 / Math.Pow(10000, 2.0 * i / rotaryDims))).ToArray();
        yield return new TorchTensorData(layerPrefix + "attention.rotary_emb.inv_freq", "F32", [inverseFrequencies.Length], MemoryMarshal.AsBytes(inverseFrequencies.AsSpan()).ToArray());
    }

    /// <summary>LayerNorms as initialised (weight 1, bias 0); everything else uniform in ±0.02.</summary>
    private static void Fill(string name, Span<Half> values, Random random)
    {
        if (name.Contains("layernorm", StringComparison.Ordinal))
        {
            values.Fill((Half)(name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f));
            return;
        }
        for (int i = 0; i < values.Length; i++)
            values[i] = (Half)((random.NextSingle() - 0.5f) * 0.04f);
    }

    private void WriteConfig(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["architectures"] = new JsonArray("GPTNeoXForCausalLM"),
            ["model_type"] = NeoXConfig.ModelType,
            ["vocab_size"] = Vocab,
            ["hidden_size"] = Hidden,
            ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["intermediate_size"] = Intermediate,
            ["rotary_pct"] = RotaryPct,
            ["rotary_emb_base"] = 10000,
            ["max_position_embeddings"] = MaxPositions,
            ["layer_norm_eps"] = 1e-5,
            ["use_parallel_residual"] = true,
            ["hidden_act"] = "gelu",
            ["tie_word_embeddings"] = false,
            ["torch_dtype"] = "float16",
        }.ToJsonString());
    }
}
