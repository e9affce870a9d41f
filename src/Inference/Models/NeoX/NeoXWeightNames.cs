namespace QuantaProbe.Models.NeoX;

/// <summary>Tensor names of HF's GPTNeoXForCausalLM and which of them are parameters.</summary>
internal static class NeoXWeightNames
{
    public const string EmbedIn = "gpt_neox.embed_in.weight";
    public const string EmbedOut = "embed_out.weight";
    public const string FinalNormWeight = "gpt_neox.final_layer_norm.weight";
    public const string FinalNormBias = "gpt_neox.final_layer_norm.bias";

    public static string Layer(int layer, string suffix) => $"gpt_neox.layers.{layer}.{suffix}";

    public const string InputNorm = "input_layernorm";
    public const string PostAttentionNorm = "post_attention_layernorm";
    public const string Qkv = "attention.query_key_value";
    public const string AttentionOut = "attention.dense";
    public const string MlpUp = "mlp.dense_h_to_4h";
    public const string MlpDown = "mlp.dense_4h_to_h";

    /// <summary>Non-parameter buffers that older exports saved with the weights.</summary>
    public static bool IsIgnoredBuffer(string name) =>
        name.EndsWith(".attention.bias", StringComparison.Ordinal)
        || name.EndsWith(".attention.masked_bias", StringComparison.Ordinal)
        || name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);

    public static bool IsEmbedding(string name) => name is EmbedIn or EmbedOut;
}
