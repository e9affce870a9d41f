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
/// pair), the nearest-neighbour graph above it.
/// </summary>
public sealed record QdgPlan(QdgSimilarity Similarity, long BytesNeeded)
{
    /// <summary>The most samples a dense matrix can hold: .NET arrays index at most 2³¹ − 1 values.</summary>
    public const int DenseMaximum = 46_340;

    public static QdgPlan For(int samples, int dimension, QdgOptions options)
    {
        bool dense = options.Method == QdgMethod.Spectral || samples <= options.DenseLimit;
        // The sketches as read, their normalised copy, and what the similarity itself holds.
        long sketches = 2L * samples * dimension * sizeof(float);
        if (dense)
            return new QdgPlan(QdgSimilarity.Dense, sketches + (long)samples * samples * sizeof(float) + (long)samples * sizeof(int) * 4);
        long tile = (long)NearestNeighbours.Tile * NearestNeighbours.Tile * sizeof(float);
        // Per neighbour: its index and |cos| (8 bytes), both directions of the graph's dictionaries (~64 bytes), the merge queue (~24 bytes).
        long graph = (long)samples * options.Neighbours * 96;
        return new QdgPlan(QdgSimilarity.NearestNeighbours, sketches + tile + graph);
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
