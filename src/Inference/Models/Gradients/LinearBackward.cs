using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Gradients;

/// <summary>The input gradient of y = x Wᵀ + b: dX = Δ W.</summary>
internal static class LinearBackward
{
    /// <summary>Δ [..,out] times the forward's initializer W [out,in], as the checkpoint stores it.</summary>
    public static string InputGradient(OnnxGraph g, string delta, string weight) => g.MatMul(delta, weight);
}
