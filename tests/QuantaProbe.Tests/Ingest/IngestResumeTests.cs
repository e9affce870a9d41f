using System.Diagnostics;
using QuantaProbe.Core;
using static QuantaProbe.Tests.Ingest.IngestTestKit;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Tests.Ingest;

[Trait("tier", "slow")]
public class IngestResumeTests
{
    private static readonly string Corpus = SharedData.Corpus("mixed-heldout.jsonl");

    [Fact]
    public async Task All_shards_run_separately_write_the_same_files_as_one_run()
    {
        using var tmp = new TempFolder();
        var whole = tmp.Sub("whole");
        var sharded = tmp.Sub("sharded");
        await RunAsync(Corpus, whole, docsPerPart: 64);
        for (int i = 2; i >= 0; i--)
        {
            var r = await RunAsync(Corpus, sharded, docsPerPart: 64, shard: new ShardSpec(i, 3));
            Assert.Equal(i == 0, r.Complete);
        }
        Assert.Equal(Snapshot(whole), Snapshot(sharded));
    }

    [Fact]
    public async Task Rerun_skips_complete_parts_and_redoes_a_part_missing_its_documents_file()
    {
        using var tmp = new TempFolder();
        var run = tmp.Sub("run");
        await RunAsync(Corpus, run, docsPerPart: 200);
        var before = Snapshot(run);
        // A kill between the two renames leaves tokens/ without documents/; a stale temporary too.
        File.Delete(Path.Combine(run, "documents", "part-00002.parquet"));
        File.WriteAllText(Path.Combine(run, "tokens", ".part-00003.parquet.tmp"), "half");
        var again = await RunAsync(Corpus, run, docsPerPart: 200);
        Assert.Equal(1, again.PartsWritten);
        Assert.Equal(4, again.PartsSkipped);
        Assert.Equal(before, Snapshot(run));
    }

    [Fact]
    public async Task Kill_9_mid_run_then_resume_gives_identical_files()
    {
        using var tmp = new TempFolder();
        var reference = tmp.Sub("reference");
        await RunAsync(Corpus, reference, docsPerPart: 8);
        var run = tmp.Sub("killed");

        var quanta = Path.Combine(AppContext.BaseDirectory, "quanta.dll");
        string[] args = ["ingest", "--corpus", Corpus, "--tokenizer", NeoxTokenizer, "--out", run, "--docs-per-part", "8", "--threads", "1"];
        using (var process = Start(quanta, args))
        {
            var tokens = Path.Combine(run, "tokens");
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && PartFiles.Complete(tokens).Count < 3 && clock.Elapsed < TimeSpan.FromSeconds(60))
                Thread.Sleep(5);
            Assert.False(process.HasExited, "ingest finished before it could be killed; make the corpus or parts larger");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(run, "ingest.json")));

        using (var resume = Start(quanta, args))
        {
            Assert.True(resume.WaitForExit(120_000));
            Assert.Equal(0, resume.ExitCode);
        }
        Assert.Equal(Snapshot(reference).Where(kv => kv.Key != "ingest.json"), Snapshot(run).Where(kv => kv.Key != "ingest.json"));
        AssertNoTemporaries(run);
    }

    private static Process Start(string dll, string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
