using QuantaProbe.Models.Gradients;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models;

/// <summary>Which graph of a checkpoint: one of three heads over the network, or grad.onnx.</summary>
internal enum ModelGraphKind
{
    /// <summary>loss.onnx: token_loss and token_entropy [B,T-1] (the contract's <see cref="LossHead"/>).</summary>
    Loss,

    /// <summary>logits.onnx: `logits` float32 [B,T,V] for every position, as Optimum exports a decoder.</summary>
    Logits,

    /// <summary>next.onnx: `next_logits` float32 [B,V], each row's logits at its last unmasked position (sampling).</summary>
    NextLogits,

    /// <summary>grad.onnx: each example's target-token loss and its gradient, exact or sketched.</summary>
    Gradients,
}

/// <summary>A graph an architecture builds from a checkpoint; grad.onnx carries its gradient options.</summary>
internal sealed record ModelGraph
{
    public const string LogitsFileName = "logits.onnx";

    public ModelGraphKind Kind { get; }

    /// <summary>grad.onnx's options; null for the other graphs.</summary>
    public GradientOptions? GradientOptions { get; }

    private ModelGraph(ModelGraphKind kind, GradientOptions? gradientOptions) => (Kind, GradientOptions) = (kind, gradientOptions);

    public static ModelGraph Loss { get; } = new(ModelGraphKind.Loss, null);
    public static ModelGraph Logits { get; } = new(ModelGraphKind.Logits, null);
    public static ModelGraph NextLogits { get; } = new(ModelGraphKind.NextLogits, null);
    public static ModelGraph Gradients(GradientOptions options) => new(ModelGraphKind.Gradients, options);

    public string FileName => Kind switch
    {
        ModelGraphKind.Loss => LossHead.FileName,
        ModelGraphKind.Logits => LogitsFileName,
        ModelGraphKind.NextLogits => NextLogitsHead.FileName,
        ModelGraphKind.Gradients => GradientGraphNames.FileName,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>The graph's part of the kind a graph records (gpt_neox.loss, …): stable across versions.</summary>
    public string KindName => Kind switch
    {
        ModelGraphKind.Loss => "loss",
        ModelGraphKind.Logits => "logits",
        ModelGraphKind.NextLogits => "next_logits",
        ModelGraphKind.Gradients => "grad",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>The graph whose <see cref="KindName"/> is <paramref name="kindName"/>, or null; a grad.onnx's options come from <paramref name="gradientOptions"/>.</summary>
    public static ModelGraph? OfKindName(string kindName, Func<GradientOptions> gradientOptions) => kindName switch
    {
        "loss" => Loss,
        "logits" => Logits,
        "next_logits" => NextLogits,
        "grad" => Gradients(gradientOptions()),
        _ => null,
    };
}
