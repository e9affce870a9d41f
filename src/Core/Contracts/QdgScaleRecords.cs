namespace QuantaProbe.Core.Contracts;

/// <summary>
/// summary.json → qdg.models.&lt;model&gt;.similarity: which similarity QDG clustered on. <c>dense</c>: the exact
/// N×N matrix (N ≤ <see cref="DenseLimit"/>, or the spectral method); <c>nearest_neighbours</c>: each sample's
/// exact <see cref="Neighbours"/> nearest, clustered as a sparse graph of <see cref="GraphComponents"/> parts.
/// </summary>
public sealed record QdgSimilarityRecord(string Kind, int DenseLimit, int? Neighbours, int? GraphComponents, long MemoryNeededBytes);

/// <summary>
/// summary.json → qdg.models.&lt;model&gt;.dense_subsample, beside a nearest-neighbour QDG: the exact dense
/// method on a seeded random subsample of the paper's size, its envelope and fitted slope, to compare with the full result.
/// </summary>
public sealed record QdgSubsampleRecord(int Samples, int Seed, IReadOnlyList<int> Ks, int[] EnvelopeRankRange, double EnvelopeSlope, double[] EnvelopeSlopeCi, int[] Envelope);
