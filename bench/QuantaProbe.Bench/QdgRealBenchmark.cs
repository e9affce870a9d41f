using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Report;
using QuantaProbe.Report.Stage;

namespace QuantaProbe.Bench;

/// <summary>
/// <c>quanta decompose</c> on a real run folder's gradients (issue 20: 71,952 sketches of the largest shared model):
/// wall time, CPU time and peak RSS of the whole stage, against the sketches' own size and QdgPlan's estimate
/// (the memory the "needs X GiB" refusal quotes). The run folder is copied without its decompose/ (so nothing is
/// reused from an earlier result and the folder given is left as it was), and decompose runs in a child process with
/// the CLI's garbage-collector settings (workstation, non-concurrent), whose VmHWM is its peak; then <c>quanta report</c>
/// on its result in another child. QDG settings: the defaults (the paper's k list and reference k, scaled by N/10,000).
/// Its output goes to bench/results/qdg-real.md.
/// </summary>
internal static class QdgRealBenchmark
{
    public const string ChildCommand = "qdg-real-child";

    public static int Run(string runFolder)
    {
        runFolder = Path.GetFullPath(runFolder);
        if (!Directory.Exists(Path.Combine(runFolder, "gradients")))
        {
            Console.Error.WriteLine($"{runFolder}: no gradients/ folder; give a run folder after `quanta gradients`");
            return 1;
        }
        var work = Directory.CreateTempSubdirectory("quanta-bench-qdg-real-");
        try
        {
            string copy = Path.Combine(work.FullName, "run");
            CopyWithout(runFolder, copy, Path.Combine(runFolder, "decompose"));
            Console.WriteLine($"run folder {runFolder} (copied without decompose/); QDG's default k list and reference k; {Environment.ProcessorCount} cores, load average {BenchResults.LoadAverage()}");
            if (RunChild("decompose", copy) is not { } r)
                return 1;
            long peak = r.GetProperty("peak_rss").GetInt64();
            var summary = JsonSerializer.Deserialize(File.ReadAllBytes(RunPaths.DecomposeSummary(copy)), ContractsJson.Default.DecomposeSummary)!;
            foreach (var (model, entry) in summary.Qdg!.Models ?? new Dictionary<string, QdgModelEntry>())
            {
                if (entry.Result is not { } q)
                {
                    Console.WriteLine($"{model}: QDG {entry.Status}");
                    continue;
                }
                long sketches = (long)q.Samples * q.SketchDimension * sizeof(float);
                Console.WriteLine($"{model}: {q.Samples:N0} sketches of {q.SketchDimension:N0} ({PeakMemory.MiB(sketches)}), similarity {q.Similarity.Kind} ({q.Similarity.Neighbours} neighbours); "
                    + $"similarity {q.SimilaritySeconds:F0} s + clustering {q.ClusteringSeconds:F0} s; envelope slope {q.EnvelopeSlope.Value:F3} [{q.EnvelopeSlope.Ci[0]:F3}, {q.EnvelopeSlope.Ci[1]:F3}] over ranks {q.EnvelopeRankRange[0]}–{q.EnvelopeRankRange[1]}");
                Console.WriteLine($"  k = {q.Ks[0]:N0}…{q.Ks[^1]:N0} ({q.Ks.Count} values), reference k {q.ReferenceK:N0}: Zipf exponent (MLE) {q.ReferenceZipfExponentMle.Value:F3} [{q.ReferenceZipfExponentMle.Ci[0]:F3}, {q.ReferenceZipfExponentMle.Ci[1]:F3}]"
                    + (q.DenseSubsample is { } d ? $"; the dense method on a {d.Samples:N0} subsample: envelope slope {d.EnvelopeSlope:F3} [{d.EnvelopeSlopeCi[0]:F3}, {d.EnvelopeSlopeCi[1]:F3}] over ranks {d.EnvelopeRankRange[0]}–{d.EnvelopeRankRange[1]}" : ""));
                Console.WriteLine($"  QdgPlan's estimate {QdgPlan.Gib(q.Similarity.MemoryNeededBytes)}; peak RSS / sketches x{peak / (double)sketches:F2}, peak RSS / estimate x{peak / (double)q.Similarity.MemoryNeededBytes:F2}");
            }
            Console.WriteLine($"decompose (every analysis): {r.GetProperty("seconds").GetDouble():F0} s wall, {r.GetProperty("cpu_seconds").GetDouble():F0} s CPU; peak RSS {PeakMemory.MiB(peak)} (target <= 6 GiB: {(peak <= 6L << 30 ? "met" : "NOT met")})");
            if (RunChild("report", copy) is not { } report)
                return 1;
            long reportPeak = report.GetProperty("peak_rss").GetInt64();
            Console.WriteLine($"report: {report.GetProperty("seconds").GetDouble():F0} s wall, {report.GetProperty("cpu_seconds").GetDouble():F0} s CPU; peak RSS {PeakMemory.MiB(reportPeak)}, x{reportPeak / (double)peak:F2} of decompose's");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>One stage in a child process with the CLI's GC settings; its JSON line (peak RSS, wall and CPU seconds), or null where it failed.</summary>
    private static JsonElement? RunChild(string stage, string runFolder)
    {
        try
        {
            // The CLI's runtimeconfig: workstation, non-concurrent GC (the bench's own default is concurrent).
            return BenchChild.Run([ChildCommand, stage, runFolder], new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0", ["DOTNET_gcConcurrent"] = "0" }).Json;
        }
        catch (InvalidOperationException e)
        {
            Console.WriteLine(e.Message);
            return null;
        }
    }

    /// <summary>The child: decompose (QDG's defaults) or report on the copied run folder, then its peak RSS as one JSON line.</summary>
    public static int Child(string[] args)
    {
        var clock = Stopwatch.StartNew();
        if (args[1] == "report")
            ReportStage.RunAsync(new ReportOptions { RunFolder = args[2] }).GetAwaiter().GetResult();
        else
            DecomposeStage.RunAsync(new DecomposeOptions { RunFolder = args[2], Progress = p => Console.Error.WriteLine($"  {p}") }).GetAwaiter().GetResult();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, double>
        {
            ["peak_rss"] = PeakMemory.PeakRssBytes(), ["seconds"] = clock.Elapsed.TotalSeconds, ["cpu_seconds"] = self.TotalProcessorTime.TotalSeconds,
        }));
        return 0;
    }

    private static void CopyWithout(string from, string to, string skip)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from))
            if (!string.Equals(folder, skip, StringComparison.Ordinal) && Path.GetFileName(folder) != ".lock")
                CopyWithout(folder, Path.Combine(to, Path.GetFileName(folder)), skip);
    }
}
