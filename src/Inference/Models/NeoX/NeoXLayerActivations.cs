namespace QuantaProbe.Models.NeoX;

/// <summary>
/// The forward values of one GPT-NeoX layer that its backward pass reads (graph value names).
/// Shapes: [B,T,H] unless stated; heads h, head_dim d, intermediate M.
/// </summary>
internal sealed record NeoXLayerActivations(
    int Layer,
    string Input,
    string AttentionNormed,
    string RotatedQuery,        // [B,h,T,d]
    string RotatedKeyTransposed, // [B,h,d,T]
    string Value,               // [B,h,T,d]
    string Probabilities,       // [B,h,T,T]
    string Context,
    string MlpNormInput,        // the layer input (parallel residual) or input + attention (sequential)
    string MlpNormed,
    string MlpPreActivation,    // [B,T,M]
    string MlpActivation);      // [B,T,M]
