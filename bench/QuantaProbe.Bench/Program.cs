using QuantaProbe.Bench;

// Benchmarks print figures and ratios against a baseline measured in the same process.
var which = args.FirstOrDefault() ?? "tokenize";
if (which == InferBenchmark.RssChildCommand)
    return InferBenchmark.RssChild(args); // hidden: the infer benchmark's peak-RSS child process
if (which == CheckpointBenchmark.FirstBatchChild)
    return CheckpointBenchmark.FirstBatch(args); // hidden: the checkpoint benchmark's child processes
if (which == CheckpointBenchmark.RssChild)
    return CheckpointBenchmark.Rss(args);
if (which == QdgRealBenchmark.ChildCommand)
    return QdgRealBenchmark.Child(args); // hidden: the qdg-real benchmark's decompose child
if (which == "checkpoint")
    return CheckpointBenchmark.Run(args.Length > 1 ? args[1] : null); // writes its own bench/results/checkpoint.md
var shared = args.Length > 1 ? args[1] : Path.Combine(BenchPaths.RepoRoot, "..", "shared");
int code = -1;
using (var results = BenchResults.Capture(which, args))
{
    code = which switch
    {
        "tokenize" => await Tokenize(shared),
        "infer" => InferBenchmark.Run(Path.GetFullPath(shared)),
        "fidelity" => await SketchFidelityBenchmark.RunAsync(Path.GetFullPath(shared), [4, 8, 16, 32, 64]),
        "gradients" => await GradientsBenchmark.RunAsync(Path.GetFullPath(shared), args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000),
        "toy" => await ToyBenchmark.RunAsync(args.Length > 1 && args[1] != "-" ? args[1] : null,
            args.Length > 2 ? args[2].Split(',').Select(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToList() : [0L]),
        "qdg" => QdgBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 400),
        "toy-alpha" => ToyAlphaBenchmark.Run(args.Skip(1).ToList()),
        "qdg-scale" => QdgScaleBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000),
        "torch-read" => TorchReadBenchmark.Run(),
        "qdg-real" => args.Length > 1 ? QdgRealBenchmark.Run(args[1]) : throw new ArgumentException("qdg-real needs a run folder with gradients: bench -- qdg-real RUN_FOLDER"),
        _ => -1,
    };
    if (code == 0)
        results.Save();
}
if (code == -1)
{
    Console.Error.WriteLine($"unknown benchmark '{which}'; known: tokenize, infer, checkpoint, fidelity, gradients, qdg, qdg-scale, qdg-real RUN_FOLDER, toy, toy-alpha, torch-read");
    return 1;
}
return code;

static async Task<int> Tokenize(string shared)
{
    await TokenizeBenchmark.RunAsync(shared);
    return 0;
}
