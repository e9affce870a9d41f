using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Decompose.Qdg;

/// <summary>How QDG forms the similarities of its samples.</summary>
public enum QdgSimilarity
{
    /// <summary>The exact N×N matrix (O(N²) memory): every pair.</summary>
    Dense,
    /// <summary>Each sample's exact m nearest neighbours by blocked products (O(N·m) memory), clustered as a sparse graph.</summary>
    NearestNeighbours,
}

/// <summary>
/// Which similarity QDG uses for N samples and how much memory it needs: the dense matrix up to
/// <see cref="QdgOptions.DenseLimit"/> samples (and always for the spectral method, which needs every
/// pair), the nearest-neighbour graph above it. Measured on 71,952 real sketches of 4,352 (bench -- qdg-real),
/// what dominates is the sketches themselves and, beside them, the dense QDG of the paper's 10,000 subsample, then the runtime's share.
/// </summary>
public sealed record QdgPlan(QdgSimilarity Similarity, long BytesNeeded)
{
    /// <summary>The most samples a dense matrix can hold: .NET arrays index at most 2³¹ − 1 values.</summary>
    public const int DenseMaximum = 46_340;

    /// <summary>
    /// The runtime, ONNX Runtime's SGEMM and the collector's headroom (garbage not yet collected): measured on decompose of
    /// 71,952 sketches of 4,352 (bench/results/qdg-real.md), peak RSS 2.62 GiB against 1.86 GiB for the arrays counted here.
    /// </summary>
    public const long Overhead = 1L << 30;

    /// <param name="inPlace">The caller's sketches may be normalised in place (<see cref="QdgAnalysis.RunInPlace"/>), so the sparse path holds them once; else a normalised copy beside them.</param>
    public static QdgPlan For(int samples, int dimension, QdgOptions options, bool inPlace = false)
    {
        bool dense = options.Method == QdgMethod.Spectral || samples <= options.DenseLimit;
        long sketches = (long)samples * dimension * sizeof(float);
        // The sketches as read, their normalised copy, the matrix, and the linkage's arrays.
        if (dense)
            return new QdgPlan(QdgSimilarity.Dense, Overhead + 2 * sketches + (long)samples * samples * sizeof(float) + (long)samples * sizeof(int) * 4);
        long tile = (long)NearestNeighbours.Tile * NearestNeighbours.Tile * sizeof(float);
        // Per neighbour: its index and |cos| (8 bytes), both directions of the graph's dictionaries (~64 bytes), the merge queue (~24 bytes).
        long graph = (long)samples * options.Neighbours * 96;
        // decompose runs the paper's dense QDG on a 10,000 subsample (QdgSubsample) before the full one, while the sketches are held.
        long subsample = For(Math.Min(QdgOptions.PaperSamples, samples), dimension, options with { DenseLimit = QdgPlan.DenseMaximum }).BytesNeeded - Overhead;
        return new QdgPlan(QdgSimilarity.NearestNeighbours, Overhead + (inPlace ? 1 : 2) * sketches + Math.Max(tile + graph, subsample));
    }

    /// <summary>Null when the plan can run here; else why not, in one phrase.</summary>
    public string? Obstacle(int samples, long availableBytes)
    {
        if (Similarity == QdgSimilarity.Dense && samples > DenseMaximum)
            return $"the dense similarity holds at most {DenseMaximum:N0} samples, not {samples:N0}";
        if (BytesNeeded > availableBytes)
            return $"{Similarity switch { QdgSimilarity.Dense => "the dense similarity", _ => "the nearest-neighbour similarity" }} of {samples:N0} samples needs about {Gib(BytesNeeded)} of memory, this machine has {Gib(availableBytes)}";
        return null;
    }

    /// <summary>The memory this process may use (a container's limit where there is one).</summary>
    public static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    public static string Gib(long bytes) => $"{bytes / (double)(1L << 30):F1} GiB";
}
