using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Bench;

/// <summary>
/// QDG at the paper's scale: N sketches of K = 4,352 (the default sketch of the largest shared
/// model) around planted Zipf-sized clusters, k clusters: ours (cosine matrix, affinity, spectral
/// clustering) timed, then scikit-learn's SpectralClustering on the very same affinity (written to
/// disk, run by bench/sklearn_spectral.py), with the agreement of the two labelings.
/// </summary>
internal static class QdgBenchmark
{
    private const int Dimension = 4352;

    public static int Run(int count, int k)
    {
        Console.WriteLine($"QDG benchmark: N = {count:N0} planted sketches (K = {Dimension:N0}, {k} Zipf-sized clusters, exponent 1.2), k = {k}; {Environment.ProcessorCount} cores");
        var (vectors, planted) = PlantedClusters.Generate(k, count, Dimension, 1.2, 0.5f, seed: 1);
        int n = planted.Length;

        var clock = Stopwatch.StartNew();
        var affinity = CosineMatrix.Compute(vectors, n, Dimension);
        Affinity.FromCosinesInPlace(affinity);
        double similarity = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var ours = SpectralClustering.Cluster(affinity, n, k, seed: 0);
        double clustering = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"ours:    similarity {similarity:F1} s + spectral clustering {clustering:F1} s = {similarity + clustering:F1} s; ARI vs planted {AdjustedRandIndex.Of(planted, ours):F3}");

        var work = Directory.CreateTempSubdirectory("quanta-bench-qdg-");
        try
        {
            string affinityPath = Path.Combine(work.FullName, "affinity.f32"), labelsPath = Path.Combine(work.FullName, "labels.i32");
            using (var file = File.Create(affinityPath))
                file.Write(MemoryMarshal.AsBytes(affinity.AsSpan()));
            var script = Path.Combine(BenchPaths.RepoRoot, "bench", "sklearn_spectral.py");
            var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { script, affinityPath, n.ToString(CultureInfo.InvariantCulture), k.ToString(CultureInfo.InvariantCulture), labelsPath })
                info.ArgumentList.Add(a);
            Process? python;
            try
            {
                python = Process.Start(info);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                python = null;
            }
            if (python is null)
            {
                Console.WriteLine("scikit-learn: /usr/bin/python3 not found; run bench/install-sklearn.sh for the comparison");
                return 0;
            }
            string output = python.StandardOutput.ReadToEnd(), errors = python.StandardError.ReadToEnd();
            python.WaitForExit();
            if (python.ExitCode != 0)
            {
                Console.WriteLine($"scikit-learn did not run ({errors.Trim().Split('\n').Last()}); run bench/install-sklearn.sh");
                return 0;
            }
            double sklearnSeconds = double.Parse(output.Trim().Split('=')[1], CultureInfo.InvariantCulture);
            var theirs = MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(labelsPath)).ToArray();
            Console.WriteLine($"sklearn: spectral clustering on the same affinity {sklearnSeconds:F1} s; ARI vs planted {AdjustedRandIndex.Of(planted, theirs):F3}");
            Console.WriteLine($"ARI ours vs sklearn {AdjustedRandIndex.Of(theirs, ours):F3}; clustering x{sklearnSeconds / clustering:F1} faster than sklearn, similarity + clustering x{sklearnSeconds / (similarity + clustering):F1} (target > 1)");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
