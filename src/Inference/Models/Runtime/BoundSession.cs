using Microsoft.ML.OnnxRuntime;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// An ONNX Runtime session created with bound weights. Creating it copies the injected weights into
/// the session (OrtExternalInitializersTests guards this), so the bound arrays are released as soon as
/// it exists: the weights are held once while the session runs.
/// </summary>
internal sealed class BoundSession : InferenceSession
{
    public BoundSession(string modelPath, SessionOptions options, BoundWeights? weights) : base(modelPath, options)
    {
        WeightsLoadTime = weights?.LoadTime ?? TimeSpan.Zero;
        if (weights is null)
            return;
        weights.Dispose();
        // The released arrays are large-object-heap garbage that no managed allocation would soon collect.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>How long reading the bound weights took (session start's profile).</summary>
    public TimeSpan WeightsLoadTime { get; }
}
