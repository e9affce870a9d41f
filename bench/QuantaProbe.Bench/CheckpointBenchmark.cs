using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.Runtime;

namespace QuantaProbe.Bench;

/// <summary>
/// What a checkpoint costs the pipeline, on random F16 checkpoints of Pythia-70m's and Pythia-1b's
/// shapes, written as the hub publishes training steps (pytorch_model.bin with Pythia's buffers) into a
/// temporary hub cache and read by name (EleutherAI/pythia-70m@step3000) through HF_HUB_CACHE: the disk export writes (loss.onnx, grad.onnx, model.json) against the checkpoint's size;
/// the time from process start to the first scored batch (export, session start, 2 tokens) and
/// infer's peak RSS against the float32 weights, each in a child process; and, for the 70m shape, the peak RSS of
/// full batches and infer tokens/s against the GEMM roofline measured in this process. Writes bench/results/checkpoint.md.
/// </summary>
internal static class CheckpointBenchmark
{
    public const string FirstBatchChild = "checkpoint-first-batch-child";
    public const string RssChild = "checkpoint-rss-child";

    /// <summary>Infer's default batch: 2048 tokens, as 8 documents of 256.</summary>
    private const int Sequences = 8, SequenceLength = 256;
    private const int TimedBatches = 6;
    private const string Revision = "step3000";

    public static int Run(string? shapeList)
    {
        var shapes = (shapeList ?? "70m,1b").Split(',').Select(s => s switch
        {
            "70m" => (Shape: NeoXShape.Pythia70m, Repo: "EleutherAI/pythia-70m"),
            "1b" => (Shape: NeoXShape.Pythia1b, Repo: "EleutherAI/pythia-1b"),
            _ => throw new ArgumentException($"unknown shape '{s}'; known: 70m, 1b"),
        }).ToList();
        var report = new StringBuilder();
        var sections = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? section = null;
        void Log(string line)
        {
            Console.WriteLine(line);
            section?.AppendLine(line);
        }
        Console.WriteLine($"# checkpoint benchmark ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, ONNX Runtime CPU)");
        var work = Directory.CreateTempSubdirectory("quanta-bench-checkpoint-");
        try
        {
            string cache = Path.Combine(work.FullName, "hub");
            foreach (var (shape, repo) in shapes)
            {
                section = sections[shape.Name] = new StringBuilder();
                var clock = Stopwatch.StartNew();
                string staging = Path.Combine(work.FullName, shape.Name);
                shape.WriteTorchCheckpoint(staging, seed: 0);
                long checkpointBytes = FolderBytes(staging);
                string commit = PutInHubCache(cache, repo, Revision, staging);
                Log($"{shape.Name}: vocab {shape.Vocab}, hidden {shape.Hidden}, {shape.Layers} layers, {shape.Heads} heads, intermediate {shape.Intermediate}; " +
                    $"{shape.Parameters:N0} parameters; F16 pytorch_model.bin with Pythia's buffers {MiB(checkpointBytes)}, float32 weights {MiB(shape.Float32Bytes)} " +
                    $"(random, written in {clock.Elapsed.TotalSeconds:F1} s) as {repo}@{Revision} (commit {commit[..10]}) in a temporary hub cache");

                string models = Path.Combine(work.FullName, shape.Name + "-model");
                var first = Child(cache, FirstBatchChild, $"{repo}@{Revision}", models);
                long written = FolderBytes(models);
                Log($"  export wrote {written:N0} bytes (loss.onnx, grad.onnx, model.json) = {100.0 * written / checkpointBytes:F3}% of the checkpoint; target < 1%: {(written < checkpointBytes / 100 ? "met" : "NOT met")}");
                Log($"  process start to first batch (export {first.Get("export_s"):F1} s, session start {first.Get("open_s"):F1} s " +
                    $"[weights bound {first.Get("weights_s"):F1} s; ONNX Runtime session {first.Get("open_s") - first.Get("weights_s"):F1} s], 2 tokens {first.Get("batch_s"):F2} s): " +
                    $"{first.WallSeconds:F1} s wall; peak RSS {MiB(first.GetLong("peak_rss"))} = x{first.GetLong("peak_rss") / (double)shape.Float32Bytes:F2} the float32 weights");

                // Full batches of the 1b shape take minutes on a few cores: the 2-token figures above stand for it.
                if (shape != NeoXShape.Pythia70m)
                    continue;
                var rss = Child(cache, RssChild, models, "3");
                Log($"  infer of 3 batches of {Sequences}×{SequenceLength} tokens: peak RSS {MiB(rss.GetLong("peak_rss"))} = x{rss.GetLong("peak_rss") / (double)shape.Float32Bytes:F2} the float32 weights " +
                    $"(target <= x2: {(rss.GetLong("peak_rss") <= 2 * shape.Float32Bytes ? "met" : "NOT met")})");

                Throughput(shape, models, Log);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
        string results = Path.Combine(BenchPaths.RepoRoot, "bench", "results", "checkpoint.md");
        // A run of one shape keeps the other shape's section from the file, marked with its own date.
        var kept = File.Exists(results) ? Sections(File.ReadAllLines(results)) : [];
        report.AppendLine($"# checkpoint benchmark ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, ONNX Runtime CPU)");
        report.AppendLine();
        report.AppendLine("```");
        foreach (var shape in new[] { NeoXShape.Pythia70m, NeoXShape.Pythia1b })
        {
            if (sections.TryGetValue(shape.Name, out var measured))
                report.Append(measured);
            else if (kept.TryGetValue(shape.Name, out var earlier))
                report.Append(earlier.EndsWith(KeptMark, StringComparison.Ordinal) ? earlier : earlier + KeptMark).AppendLine();
        }
        report.AppendLine("```");
        Directory.CreateDirectory(Path.GetDirectoryName(results)!);
        File.WriteAllText(results, report.ToString());
        Console.WriteLine($"wrote {results}");
        return 0;
    }

    private const string KeptMark = "  (this shape: from an earlier run of the benchmark)";

    /// <summary>The shape sections of an earlier results file: each shape's line and its indented lines, by shape name.</summary>
    private static Dictionary<string, string> Sections(string[] lines)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? name = null;
        var text = new StringBuilder();
        void Close()
        {
            if (name is not null)
                sections[name] = text.ToString().TrimEnd('\n');
            text.Clear();
        }
        foreach (var line in lines)
        {
            if (line.StartsWith("pythia-", StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal))
            {
                Close();
                name = line[..line.IndexOf(':', StringComparison.Ordinal)];
            }
            else if (name is not null && !line.StartsWith(' '))
            {
                Close();
                name = null;
            }
            if (name is not null)
                text.Append(line).Append('\n');
        }
        Close();
        return sections;
    }

    /// <summary>Infer tokens/s through LossRunner against the roofline of the same batches' GEMMs.</summary>
    private static void Throughput(NeoXShape shape, string models, Action<string> log)
    {
        using var runner = LossRunner.Open(models);
        var batches = Enumerable.Range(0, TimedBatches + 1).Select(b => RandomBatch(shape.Vocab, seed: b)).ToList();
        runner.Run(batches[0]);
        var clock = Stopwatch.StartNew();
        foreach (var batch in batches.Skip(1))
            runner.Run(batch);
        double seconds = clock.Elapsed.TotalSeconds;
        double tokensPerSecond = TimedBatches * Sequences * SequenceLength / seconds;
        double rooflineSeconds = GemmRoofline.SecondsPerBatch(shape, Sequences * SequenceLength, log);
        double roofline = Sequences * SequenceLength / rooflineSeconds;
        log($"  infer {tokensPerSecond:N0} tokens/s ({TimedBatches} batches of {Sequences}×{SequenceLength} in {seconds:F2} s); GEMM roofline {roofline:N0} tokens/s " +
            $"({shape.GemmMacsPerToken * 2 / 1e6:F0} MFLOP/token); infer/roofline {100 * tokensPerSecond / roofline:F0}% (goal >= 70%)");
    }

    private static List<ReadOnlyMemory<int>> RandomBatch(int vocab, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, Sequences).Select(_ => (ReadOnlyMemory<int>)Enumerable.Range(0, SequenceLength).Select(_ => random.Next(vocab)).ToArray()).ToList();
    }

    /// <summary>
    /// Lays <paramref name="source"/>'s files out as huggingface_hub does: blobs/SHA256, snapshots/COMMIT/FILE
    /// as relative links into them, refs/REVISION holding the commit. Moves the files; returns the commit.
    /// </summary>
    private static string PutInHubCache(string cache, string repo, string revision, string source)
    {
        string repoFolder = Path.Combine(cache, "models--" + repo.Replace("/", "--"));
        string commit = Sha256File.Of(System.Text.Encoding.UTF8.GetBytes($"{repo}@{revision}"))[..40];
        string snapshot = Directory.CreateDirectory(Path.Combine(repoFolder, "snapshots", commit)).FullName;
        string blobs = Directory.CreateDirectory(Path.Combine(repoFolder, "blobs")).FullName;
        foreach (var file in Directory.GetFiles(source))
        {
            string blob = Sha256File.Of(file);
            File.Move(file, Path.Combine(blobs, blob));
            File.CreateSymbolicLink(Path.Combine(snapshot, Path.GetFileName(file)), Path.Combine("..", "..", "blobs", blob));
        }
        Directory.CreateDirectory(Path.Combine(repoFolder, "refs"));
        File.WriteAllText(Path.Combine(repoFolder, "refs", revision), commit);
        return commit;
    }

    /// <summary>
    /// The child of <see cref="FirstBatchChild"/>: resolve the hub name through HF_HUB_CACHE and export as
    /// `quanta export` does, open loss.onnx, score 2 tokens.
    /// </summary>
    public static int FirstBatch(string[] args)
    {
        string name = args[1], models = args[2];
        var clock = Stopwatch.StartNew();
        string checkpoint = HubLocator.Checkpoint(name, baseFolder: null, HubCache.Locate(cacheDir: null)).Path;
        ModelExporter.ExportCheckpoint(checkpoint, models, Path.GetFileName(models));
        ModelExporter.ExportGradients(checkpoint, models, GradientOptions.Sketch());
        double export = clock.Elapsed.TotalSeconds;
        clock.Restart();
        using var runner = LossRunner.Open(models);
        double open = clock.Elapsed.TotalSeconds;
        clock.Restart();
        runner.Run([new[] { 1, 2 }]);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            export_s = export, open_s = open, weights_s = runner.BoundWeightsLoadTime.TotalSeconds,
            batch_s = clock.Elapsed.TotalSeconds, peak_rss = PeakMemory.PeakRssBytes(),
        }));
        return 0;
    }

    /// <summary>The child of <see cref="RssChild"/>: open loss.onnx and score batches of infer's default size.</summary>
    public static int Rss(string[] args)
    {
        string models = args[1];
        int batches = int.Parse(args[2], CultureInfo.InvariantCulture);
        using var runner = LossRunner.Open(models);
        var vocab = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(models, "model.json"))).RootElement.GetProperty("config").GetProperty("vocab_size").GetInt32();
        for (int b = 0; b < batches; b++)
            runner.Run(RandomBatch(vocab, seed: b));
        Console.WriteLine(JsonSerializer.Serialize(new { peak_rss = PeakMemory.PeakRssBytes() }));
        return 0;
    }

    /// <summary>Runs this benchmark's hidden <paramref name="args"/>[0] in a child process that finds the hub cache through HF_HUB_CACHE only.</summary>
    private static BenchChildResult Child(string hubCache, params string[] args) =>
        BenchChild.Run(args, new Dictionary<string, string?> { ["HF_HUB_CACHE"] = hubCache, ["HF_HOME"] = null, ["HUGGINGFACE_HUB_CACHE"] = null });

    private static long FolderBytes(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private static string MiB(long bytes) => $"{bytes / 1048576.0:N0} MiB";
}
