using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Inference.GradientStage;

namespace QuantaProbe.Bench;

internal static class ToyQdgExperiment
{
    public static async Task<int> RunAsync(string[] args)
    {
        string run = args[1], model = args[2];
        int k = int.Parse(args[3]);
        int limit = args.Length > 4 ? int.Parse(args[4]) : int.MaxValue;
        var g = await GradientsPartReader.ReadAsync(Path.Combine(run, "gradients", model));
        var truth = (await GroundTruthReader.ReadAsync(run, 2))!;
        int n = Math.Min(g.Count, limit), d = g.Dimension;
        var labels = g.DocIds.Take(n).Select(x => truth[x]).ToArray();
        if (Environment.GetEnvironmentVariable("DUMP") is string dump)
        {
            var docs = new Dictionary<long, int[]>();
            for (int p = 0; p < 2; p++)
                foreach (var doc in await TokensPartReader.ReadAsync(Path.Combine(run, "tokens", $"part-{p:D5}.parquet")))
                    docs[doc.DocId] = doc.TokenIds;
            await File.WriteAllBytesAsync(dump + ".bin", System.Runtime.InteropServices.MemoryMarshal.AsBytes(g.Sketches.AsSpan(0, n * d)).ToArray());
            await File.WriteAllLinesAsync(dump + ".txt", Enumerable.Range(0, n).Select(i => $"{labels[i]} {g.Losses[i]} " + string.Join(" ", docs[g.DocIds[i]])));
            return 0;
        }
        int from = args.Length > 5 ? int.Parse(args[5]) : 0, to = args.Length > 6 ? int.Parse(args[6]) : d;
        var sk = new float[n * (to - from)];
        for (int i = 0; i < n; i++) g.Sketches.AsSpan(i * d + from, to - from).CopyTo(sk.AsSpan(i * (to - from)));
        d = to - from;
        foreach (var variant in (args.Length > 7 ? args[7] : "paper,abs,abs-sq,knn10,knn30").Split(','))
        {
            var c = CosineMatrix.Compute(sk, n, d);
            if (variant.StartsWith("knn"))
            {
                int nn = int.Parse(variant[3..]);
                var keep = new float[c.Length];
                for (int i = 0; i < n; i++)
                {
                    var row = c.AsSpan(i * n, n).ToArray().Select(MathF.Abs).ToArray();
                    var idx = Enumerable.Range(0, n).OrderByDescending(j => row[j]).Take(nn + 1).ToArray();
                    foreach (int j in idx) { keep[i * n + j] = 1; keep[j * n + i] = 1; }
                }
                var lk = SpectralClustering.Cluster(keep, n, k, 0, 10);
                Console.WriteLine($"{variant}: ARI {AdjustedRandIndex.Of(lk, labels):F3} NMI {NormalizedMutualInformation.Of(lk, labels):F3}");
                continue;
            }
            for (int i = 0; i < c.Length; i++)
            {
                float v = Math.Clamp(c[i], -1f, 1f);
                c[i] = variant switch
                {
                    "paper" => 1 - MathF.Acos(v) / MathF.PI,
                    "abs" => 1 - MathF.Acos(MathF.Abs(v)) / MathF.PI,
                    _ => v * v,
                };
            }
            var l = SpectralClustering.Cluster(c, n, k, 0, 10);
            Console.WriteLine($"{variant}: ARI {AdjustedRandIndex.Of(l, labels):F3} NMI {NormalizedMutualInformation.Of(l, labels):F3}");
        }
        return 0;
    }
}
