namespace QuantaProbe.Models.NeoX;

/// <summary>What ends an exported GPT-NeoX graph; every head runs on the same body and unembedding.</summary>
public enum NeoXHead
{
    /// <summary>loss.onnx: outputs token_loss and token_entropy [B,T-1] (log-softmax and gather in the graph).</summary>
    Loss,

    /// <summary>logits.onnx: output `logits` float32 [B,T,V] for every position (sampling uses <see cref="NextLogits"/>).</summary>
    Logits,

    /// <summary>next.onnx: output `next_logits` float32 [B,V], each row's logits at its last unmasked position (for sampling).</summary>
    NextLogits,
}
