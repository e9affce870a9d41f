namespace QuantaProbe.Models.Weights;

/// <summary>
/// How a session gets a model's weights. Small models: float32 arrays converted at session start, which
/// ONNX Runtime pre-packs for its GEMMs (fastest, and their outputs bit-identical to earlier versions).
/// Larger ones: the checkpoint's tensors bound in place, in their stored type (a float16 or bfloat16 weight
/// is cast to float32 inside the graph where it is used, an exact conversion). Nothing is copied or converted at
/// session start, the weights occupy the file's pages (half the memory for a 16-bit checkpoint), and
/// session start stops writing gigabytes of fresh memory, most of a 1B model's start-up time.
/// </summary>
internal static class WeightBinding
{
    /// <summary>Models with more float32 weight bytes than this bind them in place (a Pythia-70m has 282 MB).</summary>
    public const long InPlaceAboveBytes = 128L << 20;

    /// <summary>A test's own threshold, for its async flow only (tests run in parallel).</summary>
    internal static readonly AsyncLocal<long?> ThresholdForTests = new();

    public static bool InPlace(long float32WeightBytes) => float32WeightBytes > (ThresholdForTests.Value ?? InPlaceAboveBytes);
}
