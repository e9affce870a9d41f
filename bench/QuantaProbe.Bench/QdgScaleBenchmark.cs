using System.Diagnostics;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.PowerLaw;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Bench;

/// <summary>
/// QDG at 100,000 sketches (issue 20): the nearest-neighbour similarity and sparse average linkage on N
/// planted Zipf-sized sketches of K = 4,352 (the default sketch of the largest shared model), timed with
/// the process's peak RSS; then, in the same process, the exact dense method and the sparse one on a
/// 10,000 subsample, and the dense method's time and memory extrapolated to N (both O(N²)).
/// Its output goes to bench/results/qdg-scale.md.
/// </summary>
internal static class QdgScaleBenchmark
{
    private const int Dimension = 4352, Clusters = 2000, Baseline = 10_000;
    private const double Exponent = 1.2;

    public static int Run(int count)
    {
        Console.WriteLine($"N = {count:N0} planted sketches of K = {Dimension:N0} ({Clusters:N0} Zipf-sized clusters, exponent {Exponent}, the smallest 3 points, noise 0.5); {Environment.ProcessorCount} cores, load average {BenchResults.LoadAverage()}");
        var (vectors, planted) = PlantedClusters.Generate(Clusters, count, Dimension, Exponent, 0.5f, seed: 1);
        int n = planted.Length;
        var options = new QdgOptions { Resamples = 20, Seed = 1 };
        long beforeRss = PeakMemory.PeakRssBytes();

        var wall = Stopwatch.StartNew();
        var cpu = CpuTime();
        var sparse = QdgAnalysis.Run(vectors, n, Dimension, options with { DenseLimit = 2 }, progress: p => Console.Error.WriteLine($"  {p}"));
        double sparseWall = wall.Elapsed.TotalSeconds, sparseCpu = (CpuTime() - cpu).TotalSeconds;
        long sparseRss = PeakMemory.PeakRssBytes();
        var plan = QdgPlan.For(n, Dimension, options with { DenseLimit = 2 });
        double plantedExponent = TruncatedZipfMle.Exponent(RankFrequency.Sizes(planted));
        Console.WriteLine($"nearest neighbours ({sparse.Neighbours} each, {sparse.GraphComponents} connected parts) + sparse average linkage at {sparse.Sizes.Count} k (up to {sparse.Sizes.Keys.Max():N0}): "
            + $"similarity {sparse.SimilaritySeconds:F0} s + clustering {sparse.ClusteringSeconds:F0} s = {(sparse.SimilaritySeconds + sparse.ClusteringSeconds) / 60:F1} min (target <= 30 min: {Met(sparse.SimilaritySeconds + sparse.ClusteringSeconds <= 1800)}); "
            + $"with the envelope's bootstrap ({options.Resamples} resamples) {sparseWall:F0} s wall, {sparseCpu:F0} s CPU = {sparseCpu / Environment.ProcessorCount / 60:F1} min on {Environment.ProcessorCount} unshared cores");
        Console.WriteLine($"  peak RSS {PeakMemory.MiB(sparseRss)} (target <= 6 GiB: {Met(sparseRss <= 6L << 30)}; the planted sketches alone {PeakMemory.MiB((long)n * Dimension * 4)}, peak before QDG {PeakMemory.MiB(beforeRss)}); QdgPlan's estimate {QdgPlan.Gib(plan.BytesNeeded)}");
        int k = sparse.Labels.Keys.MinBy(x => Math.Abs(x - Clusters));
        Console.WriteLine($"  ARI vs planted at k = {k:N0}: {AdjustedRandIndex.Of(planted, sparse.Labels[k]):F4}, its sizes' Zipf MLE exponent {TruncatedZipfMle.Exponent(sparse.Sizes[k]):F3} (target {Exponent} ± 0.05); k = {sparse.ReferenceK:N0} Zipf MLE exponent {sparse.ReferenceExponent.Value:F3} [{sparse.ReferenceExponent.Low:F3}, {sparse.ReferenceExponent.High:F3}] (planted sizes' MLE {plantedExponent:F3}); "
            + $"envelope slope {sparse.EnvelopeSlope.Value:F3} [{sparse.EnvelopeSlope.Low:F3}, {sparse.EnvelopeSlope.High:F3}] over ranks {sparse.RankFirst}–{sparse.RankLast}");

        // Baseline in the same process: a random 10,000 subsample, dense and sparse.
        var subset = new float[(long)Baseline * Dimension];
        var order = Enumerable.Range(0, n).ToArray();
        new Random(2).Shuffle(order);
        var rows = order[..Baseline];
        Array.Sort(rows);
        for (int i = 0; i < Baseline; i++)
            vectors.AsSpan(rows[i] * Dimension, Dimension).CopyTo(subset.AsSpan(i * Dimension, Dimension));
        vectors = [];
        var baseKs = new QdgOptions().Ks;
        cpu = CpuTime();
        var dense = QdgAnalysis.Run(subset, Baseline, Dimension, options with { Ks = baseKs });
        double denseCpu = (CpuTime() - cpu).TotalSeconds;
        cpu = CpuTime();
        var small = QdgAnalysis.Run(subset, Baseline, Dimension, options with { Ks = baseKs, DenseLimit = 2 });
        double smallCpu = (CpuTime() - cpu).TotalSeconds;
        double denseSeconds = dense.SimilaritySeconds + dense.ClusteringSeconds, smallSeconds = small.SimilaritySeconds + small.ClusteringSeconds;
        double scale = (double)n / Baseline;
        double extrapolated = denseSeconds * scale * scale;
        long denseBytes = QdgPlan.For(n, Dimension, options with { DenseLimit = QdgPlan.DenseMaximum }).BytesNeeded + (long)n * n * 4; // as planned, if arrays could hold it
        var subsetTruth = rows.Select(r => planted[r]).ToArray();
        int present = subsetTruth.Distinct().Count();
        Console.WriteLine($"baseline, {Baseline:N0} of them: dense similarity {dense.SimilaritySeconds:F1} s + average linkage {dense.ClusteringSeconds:F1} s = {denseSeconds:F1} s; "
            + $"nearest neighbours + sparse linkage {small.SimilaritySeconds:F1} s + {small.ClusteringSeconds:F1} s = {smallSeconds:F1} s (x{denseSeconds / smallSeconds:F2} the dense time); "
            + $"CPU with the bootstrap: dense {denseCpu:F0} s, sparse {smallCpu:F0} s");
        foreach (int kk in new[] { 200, 400, 1000, 1500 })
            Console.WriteLine($"  k = {kk}: ARI sparse vs dense {AdjustedRandIndex.Of(dense.Labels[kk], small.Labels[kk]):F4} (vs planted: sparse {AdjustedRandIndex.Of(subsetTruth, small.Labels[kk]):F4}, dense {AdjustedRandIndex.Of(subsetTruth, dense.Labels[kk]):F4}; {present} planted clusters present)");
        Console.WriteLine($"dense method extrapolated to N = {n:N0} (time x(N/10,000)^2): {extrapolated / 60:F0} min and {QdgPlan.Gib(denseBytes)} "
            + $"(the N×N float32 matrix alone {QdgPlan.Gib((long)n * n * 4)}; a .NET array holds at most {QdgPlan.DenseMaximum:N0}²); "
            + $"nearest neighbours: x{extrapolated / (sparse.SimilaritySeconds + sparse.ClusteringSeconds):F1} faster, x{denseBytes / (double)sparseRss:F1} less memory (peak RSS); "
            + $"in CPU time the dense method extrapolates to {denseCpu * scale * scale / 60:F0} CPU-min against the sparse {sparseCpu / 60:F0}");

        return 0;
    }

    /// <summary>The process's CPU time (user + system): on a shared machine, wall time measures the other sessions too.</summary>
    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string Met(bool met) => met ? "met" : "NOT met";
}
