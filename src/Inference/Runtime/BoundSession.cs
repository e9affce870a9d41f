using Microsoft.ML.OnnxRuntime;

namespace QuantaProbe.Inference.Runtime;

/// <summary>An ONNX Runtime session that owns the weights bound to it, released after the session.</summary>
internal sealed class BoundSession(string modelPath, SessionOptions options, BoundWeights? weights) : InferenceSession(modelPath, options)
{
    public BoundWeights? Weights { get; } = weights;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
            Weights?.Dispose();
    }
}
