using QuantaProbe.Core;

namespace QuantaProbe.Inference.Gradients;

/// <summary>
/// How grad.onnx reduces each per-example gradient: exactly, or sketched with seeded Gaussian
/// projections of k_in input and k_out output dimensions per linear layer.
/// </summary>
public sealed record GradientOptions(GradientMode Mode = GradientMode.Sketch, int KIn = 16, int KOut = 16, long Seed = 0)
{
    public static GradientOptions Exact { get; } = new(GradientMode.Exact);

    public static GradientOptions Sketch(int kIn = 16, int kOut = 16, long seed = 0) => new(GradientMode.Sketch, kIn, kOut, seed);

    internal void Validate()
    {
        if (Mode == GradientMode.Sketch && (KIn < 1 || KOut < 1))
            throw new QuantaException($"sketch dimensions k_in={KIn}, k_out={KOut} must both be at least 1; pick e.g. 16×16.");
    }
}
