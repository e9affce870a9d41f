using QuantaProbe.Bench;

// Benchmarks print figures and ratios against a baseline measured in the same process.
var which = args.FirstOrDefault() ?? "tokenize";
var shared = args.Length > 1 ? args[1] : Path.Combine(BenchPaths.RepoRoot, "..", "shared");
switch (which)
{
    case "tokenize":
        await TokenizeBenchmark.RunAsync(shared);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'; known: tokenize");
        return 1;
}
