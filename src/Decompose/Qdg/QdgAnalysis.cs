using System.Diagnostics;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.PowerLaw;
using QuantaProbe.Decompose.Scaling;
using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Decompose.Qdg;

/// <summary>What QDG found for one set of gradient sketches.</summary>
public sealed record QdgResult(
    int Samples,
    IReadOnlyDictionary<int, int[]> Labels,
    IReadOnlyDictionary<int, int[]> Sizes,
    int[] Envelope,
    int RankFirst,
    int RankLast,
    Estimate EnvelopeSlope,
    int ReferenceK,
    double ReferenceSlope,
    Estimate ReferenceExponent,
    double SimilaritySeconds,
    double ClusteringSeconds);

/// <summary>
/// The paper's QDG on normalised gradient sketches: cosine matrix, affinity 1 − arccos(C)/π,
/// spectral clustering for each k, rank-frequency curves, their envelope and its slope (log-log OLS
/// over a rank range), and the reference k's exponent by the truncated-Zipf MLE; both with
/// percentile-bootstrap intervals over samples (clusterings fixed, samples redrawn).
/// </summary>
public static class QdgAnalysis
{
    public static QdgResult Run(ReadOnlySpan<float> sketches, int count, int dimension, QdgOptions options, Action<string>? progress = null)
    {
        var ks = options.Ks.Where(k => k >= 1 && k < count).Distinct().Order().ToArray();
        if (ks.Length == 0)
            throw new ArgumentException($"none of k = {string.Join(",", options.Ks)} is below the {count} samples; take more samples or smaller k");
        var clock = Stopwatch.StartNew();
        var affinity = CosineMatrix.Compute(sketches, count, dimension);
        Affinity.FromCosinesInPlace(affinity);
        double similarity = clock.Elapsed.TotalSeconds;
        progress?.Invoke($"similarity of {count:N0} sketches: {similarity:F1} s");
        clock.Restart();
        var labels = SpectralClustering.ClusterMany(affinity, count, ks, options.Seed, options.Restarts,
            k => progress?.Invoke($"k = {k}: clustered ({clock.Elapsed.TotalSeconds:F0} s)"));
        double clustering = clock.Elapsed.TotalSeconds;

        var sizes = ks.ToDictionary(k => k, k => RankFrequency.Sizes(labels[k]));
        var envelope = RankFrequency.Envelope(ks.Select(k => sizes[k]));
        var (first, last) = options.RankRange ?? DefaultRange(ks.Max());
        last = Math.Min(last, envelope.Length);
        first = Math.Min(first, Math.Max(1, last - 1));
        int reference = ks.OrderBy(k => Math.Abs(k - options.ReferenceK)).ThenByDescending(k => k).First();

        var slope = Bootstrap.Percentile(count, w => SafeSlope(RankFrequency.Envelope(ks.Select(k => WeightedSizes(labels[k], k, w))), first, last), options.Resamples, options.Seed);
        var referenceSizes = sizes[reference];
        double referenceSlope = SafeSlope(referenceSizes, Math.Min(first, Math.Max(1, referenceSizes.Length - 1)), Math.Min(last, referenceSizes.Length));
        var exponent = Bootstrap.Percentile(count, w => TruncatedZipfMle.Exponent(WeightedSizes(labels[reference], reference, w)), options.Resamples, options.Seed);
        return new QdgResult(count, labels, sizes, envelope, first, last, slope, reference, referenceSlope, exponent, similarity, clustering);
    }

    /// <summary>The paper fits ranks 100–1000 with k up to 1500: the same fractions of the largest k.</summary>
    public static (int First, int Last) DefaultRange(int largestK) =>
        (Math.Max(1, (int)Math.Round(largestK / 15.0)), Math.Max(2, (int)Math.Round(largestK * 2 / 3.0)));

    private static double SafeSlope(IReadOnlyList<int> sizes, int first, int last) =>
        Math.Min(last, sizes.Count) - first >= 1 ? RankFrequency.LogLogSlope(sizes, first, last) : double.NaN;

    /// <summary>Cluster sizes, largest first, when sample i counts <paramref name="weights"/>[i] times.</summary>
    private static int[] WeightedSizes(int[] labels, int k, int[] weights)
    {
        var sizes = new int[k];
        for (int i = 0; i < labels.Length; i++)
            sizes[labels[i]] += weights[i];
        return sizes.Where(s => s > 0).OrderDescending().ToArray();
    }
}
