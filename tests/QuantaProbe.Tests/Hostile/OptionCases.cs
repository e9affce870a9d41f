namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Out-of-range options (zero, negative and huge counts) and malformed command lines: refused before any
/// work with one line naming the option, through the command a user would run.
/// </summary>
internal static class OptionCases
{
    private const string Model = BaseRun.Model;
    private static readonly string[] Decompose = ["--k", "2,4", "--reference-k", "2"];

    public static readonly HostileCase[] All =
    [
        new("ingest: --separator ''", w =>
            new HostileInvocation([.. w.Ingest(w.Write("c.txt", "a b"), HostileWorkspace.Tokenizer), "--separator", ""], "--separator", "must not be empty", UntrustedIngest(w))),
        new("ingest: --docs-per-part 0", w =>
            new HostileInvocation([.. w.Ingest(w.Corpus(), HostileWorkspace.Tokenizer), "--docs-per-part", "0"], "--docs-per-part", "must be between 1 and", UntrustedIngest(w))),
        new("ingest: --context-length 2147483647", w =>
            new HostileInvocation(["ingest", "--corpus", w.Corpus(), "--tokenizer", HostileWorkspace.Tokenizer, "--out", w.PathOf("run"), "--context-length", "2147483647"], "--context-length", "must be between 2 and", UntrustedIngest(w))),
        Scored("infer: --batch-tokens 2147483647", "losses", run => ["infer", "--run", run, "--batch-tokens", "2147483647"], "--batch-tokens", "must be between 2 and"),
        Scored("infer: --threads 100000", "losses", run => ["infer", "--run", run, "--threads", "100000"], "--threads", "must be between 1 and"),
        Scored("gradients: --n -1", "gradients", run => ["gradients", "--run", run, "--model", Model, "--n", "-1"], "--n", "must be between 1 and"),
        Scored("gradients: --batch-tokens 2147483647", "gradients", run => ["gradients", "--run", run, "--model", Model, "--batch-tokens", "2147483647"], "--batch-tokens", "must be between 2 and"),
        Scored("decompose: --resamples 0", "decompose", run => ["decompose", "--run", run, .. Decompose, "--resamples", "0"], "--resamples", "must be between 1 and"),
        Scored("decompose: --qdg-resamples 0", "decompose", run => ["decompose", "--run", run, .. Decompose, "--qdg-resamples", "0"], "--qdg-resamples", "must be between 1 and"),
        Scored("decompose: --restarts 0", "decompose", run => ["decompose", "--run", run, .. Decompose, "--resamples", "10", "--method", "spectral", "--restarts", "0"], "--restarts", "must be between 1 and"),
        Scored("decompose: --k 2,2147483647", "decompose", run => ["decompose", "--run", run, "--k", "2,2147483647"], "--k", "between 2 and"),
        Scored("report: --similarity-samples -1", "report", run => ["report", "--run", run, "--similarity-samples", "-1"], "--similarity-samples", "must be between 2 and"),
        Scored("report: --clusters -3", "report", run => ["report", "--run", run, "--clusters", "-3"], "--clusters", "must be between 1 and"),
        Scored("report: --clusters 0", "report", run => ["report", "--run", run, "--clusters", "0"], "--clusters", "must be between 1 and"),
        new("export: --step -5", w =>
            new HostileInvocation([.. w.Export(w.FixtureCheckpoint()), "--step", "-5"], "--step", "must be at least 0", w.UntrustedExport())),
        Toy("toy: --batch 2147483647", ["--batch", "2147483647"], "--batch"),
        Toy("toy: --tasks 0", ["--tasks", "0"], "--tasks"),
        Toy("toy: --widths 8:16:2147483647", ["--widths", "8:16:2147483647"], "--widths", "COUNT ≤ 100"),
        Toy("toy: --threads 0", ["--threads", "0"], "--threads"),
        Toy("toy: --checkpoints 17", ["--checkpoints", "17"], "--checkpoints"),
        new("sample: --documents 0", w =>
            new HostileInvocation(["sample", "--model", w.FixtureCheckpoint(), "--tokenizer", HostileWorkspace.Tokenizer, "--out", w.PathOf("s.jsonl"), "--documents", "0"],
                "--documents", "must be between 1 and", [w.PathOf("s.jsonl")])),
        new("cli: unknown command", _ => new HostileInvocation(["infr", "--run", "x"], "'infr'", "see quanta --help")),
        new("cli: unknown option", w => new HostileInvocation(["infer", "--run", w.PathOf("run"), "--bogus", "1"], "--bogus", "see quanta infer --help")),
        new("cli: missing required option", _ => new HostileInvocation(["infer"], "--run", "see quanta infer --help")),
        new("cli: a count that is not a number", w => new HostileInvocation(["toy", "sparse-parity", "--out", w.PathOf("toy"), "--tasks", "many"], "--tasks", "see quanta toy sparse-parity --help")),
    ];

    private static string[] UntrustedIngest(HostileWorkspace w) => [w.PathOf("run/ingest.json"), w.PathOf("run/tokens/part-00000.parquet")];

    /// <summary>A stage on a copy of the scored base run whose output folder was removed, so that a refusal must leave it absent.</summary>
    private static HostileCase Scored(string name, string output, Func<string, string[]> command, string flag, string phrase) =>
        new(name, w =>
        {
            var run = w.ScoredRun();
            var folder = Path.Combine(run, output);
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
            string[] untrusted = output switch
            {
                "losses" => [Path.Combine(run, "losses", "model=" + Model, "part-00000.parquet")],
                "gradients" => [Path.Combine(run, "gradients", "model=" + Model, "part-00000.parquet"), Path.Combine(run, "gradients", "model=" + Model, "selection.parquet")],
                "decompose" => [Path.Combine(run, "decompose", "summary.json"), Path.Combine(run, "decompose", "qdg", Model + ".json")],
                _ => [Path.Combine(run, "report", "index.html")],
            };
            return new HostileInvocation(command(run), flag, phrase, untrusted);
        });

    private static HostileCase Toy(string name, string[] flags, string flag, string phrase = "must be between") =>
        new(name, w => new HostileInvocation(["toy", "sparse-parity", "--out", w.PathOf("toy"), .. flags], flag, phrase, [w.PathOf("toy/toy.json"), w.PathOf("toy/ingest.json")]));
}
