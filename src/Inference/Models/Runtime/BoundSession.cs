using Microsoft.ML.OnnxRuntime;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// An ONNX Runtime session created with bound weights. Weights the session reads in place live as long
/// as it does; weights it copied while it was created (OrtExternalInitializersTests guards this) are
/// released as soon as it exists, so the weights are held once while the session runs.
/// </summary>
internal sealed class BoundSession : InferenceSession
{
    private BoundWeights? _inPlace;

    public BoundSession(string modelPath, SessionOptions options, BoundWeights? weights) : base(modelPath, options)
    {
        WeightsLoadTime = weights?.LoadTime ?? TimeSpan.Zero;
        if (weights is null)
            return;
        if (weights.UsedInPlace)
            _inPlace = weights;
        else
            weights.Dispose();
        // Released arrays (and the reader's row buffer) are large garbage that no managed allocation would soon collect.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>How long reading the bound weights took (session start's profile).</summary>
    public TimeSpan WeightsLoadTime { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _inPlace?.Dispose();
            _inPlace = null;
        }
    }
}
