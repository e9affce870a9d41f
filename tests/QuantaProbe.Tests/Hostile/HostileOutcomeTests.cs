using System.Diagnostics;
using QuantaProbe.Core.Contracts;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Hostile inputs that must work (a corpus folder with a link loop, a byte-order mark, the largest batch
/// allowed), a long wait that SIGTERM ends, and a failed report that keeps the previous one.
/// </summary>
[Trait("tier", "slow")]
public class HostileOutcomeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_corpus_folder_with_a_link_to_its_parent_and_a_second_link_to_a_file_reads_each_file_once()
    {
        using var tmp = new TempFolder();
        var w = new HostileWorkspace(tmp);
        var corpus = Directory.CreateDirectory(w.PathOf("corpus/sub")).Parent!.FullName;
        File.Copy(w.Corpus(documents: 8), Path.Combine(corpus, "sub", "a.jsonl"));
        File.CreateSymbolicLink(Path.Combine(corpus, "sub", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(corpus, "again.jsonl"), Path.Combine(corpus, "sub", "a.jsonl"));
        Directory.CreateSymbolicLink(Path.Combine(corpus, "also-sub"), Path.Combine(corpus, "sub"));

        var (code, _, err) = Quanta(["ingest", "--corpus", corpus, "--tokenizer", HostileWorkspace.Tokenizer, "--out", w.PathOf("run"), "--context-length", "64"]);

        Assert.True(code == 0, err);
        Assert.Equal(8, IngestManifest.Read(w.PathOf("run")).Documents);
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_of_a_jsonl_file_is_accepted_and_changes_no_token()
    {
        using var tmp = new TempFolder();
        var w = new HostileWorkspace(tmp);
        var plain = File.ReadAllBytes(w.Corpus(documents: 4));
        var withMark = w.Write("bom.jsonl", [0xEF, 0xBB, 0xBF, .. plain]);

        var (a, _, errA) = Quanta(["ingest", "--corpus", w.PathOf("corpus.jsonl"), "--tokenizer", HostileWorkspace.Tokenizer, "--out", w.PathOf("plain")]);
        var (b, _, errB) = Quanta(["ingest", "--corpus", withMark, "--tokenizer", HostileWorkspace.Tokenizer, "--out", w.PathOf("bom")]);

        Assert.True(a == 0 && b == 0, errA + errB);
        var (expected, actual) = (IngestManifest.Read(w.PathOf("plain")), IngestManifest.Read(w.PathOf("bom")));
        Assert.Equal((4L, expected.Tokens), (actual.Documents, actual.Tokens));
    }

    [Fact]
    public void Infer_with_the_largest_batch_allowed_ends_within_seconds_with_the_same_losses()
    {
        using var tmp = new TempFolder();
        var run = new HostileWorkspace(tmp).ScoredRun();
        var losses = Path.Combine(run, "losses", "model=" + BaseRun.Model);
        var before = Directory.GetFiles(losses, "part-*.parquet").Order().Select(File.ReadAllBytes).ToList();
        Directory.Delete(Path.Combine(run, "losses"), recursive: true);

        var (code, _, err) = Quanta(["infer", "--run", run, "--batch-tokens", "1048576", "--threads", "1"]);

        Assert.True(code == 0, err);
        Assert.Equal(before, Directory.GetFiles(losses, "part-*.parquet").Order().Select(File.ReadAllBytes).ToList());
    }

    [Fact]
    public void A_report_from_a_summary_of_the_wrong_shape_fails_and_keeps_the_previous_report()
    {
        using var tmp = new TempFolder();
        var run = new HostileWorkspace(tmp).ScoredRun();
        Assert.Equal(0, Quanta(["decompose", "--run", run, "--k", "2,4", "--reference-k", "2", "--resamples", "10", "--qdg-resamples", "10"]).Code);
        Assert.Equal(0, Quanta(["report", "--run", run]).Code);
        var report = Path.Combine(run, "report");
        var previous = Directory.GetFiles(report, "*", SearchOption.AllDirectories).Order().ToDictionary(f => f, File.ReadAllBytes);
        var summary = RunPaths.DecomposeSummary(run);

        foreach (var wrong in new[] { """{"models": 5}""", "[]", """{"schema_version": 1}""" })
        {
            File.WriteAllText(summary, wrong);
            var (code, _, err) = Quanta(["report", "--run", run]);
            output.WriteLine(err.Trim());
            Assert.Equal(1, code);
            Assert.Matches($"^error: [^\n]*{System.Text.RegularExpressions.Regex.Escape(summary)}[^\n]*$", err.Trim());
            Assert.Equal(previous, Directory.GetFiles(report, "*", SearchOption.AllDirectories).Order().ToDictionary(f => f, File.ReadAllBytes));
        }
    }

    [Fact]
    public async Task Sigterm_ends_a_shard_waiting_at_a_barrier_within_seconds()
    {
        using var tmp = new TempFolder();
        var w = new HostileWorkspace(tmp);
        w.Corpus(documents: 8);
        var config = w.Write("config.json", $$"""
            {"run_folder": "run", "corpus": "corpus.jsonl", "tokenizer": "{{HostileWorkspace.Tokenizer}}", "context_length": 64, "docs_per_part": 4,
             "family": ["{{Path.Combine(SharedData.Root, "models", HostileWorkspace.SmallModel)}}"], "threads": 1}
            """);
        // Shard 1 of 2 ingests part 1, then waits for shard 0 (never started) to finish ingest.
        using var p = QuantaProcess.Start("run", config, "--shard", "1/2");
        var stdout = p.StandardOutput.ReadToEndAsync();
        string? line;
        var seen = new List<string>();
        while ((line = p.StandardError.ReadLine()) is not null && !line.Contains("waiting for", StringComparison.Ordinal))
            seen.Add(line);
        Assert.True(line is not null, "the shard never waited: " + string.Join(" | ", seen));

        var clock = Stopwatch.StartNew();
        Process.Start("kill", ["-TERM", p.Id.ToString()])!.WaitForExit();
        bool ended = p.WaitForExit(Limit);
        if (!ended)
            p.Kill(entireProcessTree: true);
        output.WriteLine($"ended {clock.Elapsed.TotalSeconds:F1} s after SIGTERM, exit {(ended ? p.ExitCode : -1)}");
        Assert.True(ended, "SIGTERM did not end the waiting shard");
        Assert.Equal(130, p.ExitCode);
        await stdout;
    }

    private static (int Code, string Out, string Err) Quanta(string[] args)
    {
        using var p = QuantaProcess.Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Limit))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"quanta {string.Join(' ', args)} did not end within {Limit}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
