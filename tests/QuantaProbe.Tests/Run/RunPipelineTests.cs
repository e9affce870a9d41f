using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Run;

namespace QuantaProbe.Tests.Run;

[Trait("tier", "slow")]
public class RunPipelineTests
{
    [Fact]
    public async Task Runs_every_stage_records_run_json_and_a_second_run_redoes_nothing()
    {
        using var tmp = new TempFolder();
        var config = RunConfigReader.Read(SmallRunConfig.Write(tmp.Path));
        var first = await RunPipeline.RunAsync(config);
        Assert.Equal(["ingest", "export", "infer", "gradients", "decompose", "report"], first.Stages.Select(s => s.Stage));
        Assert.Equal(Path.Combine(config.RunFolder, "report", "index.html"), first.ReportPath);
        Assert.True(File.Exists(first.ReportPath));
        foreach (var model in SmallRunConfig.Models)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(config.RunFolder, "losses", "model=" + model), "part-*.parquet"));
        Assert.True(File.Exists(Path.Combine(config.RunFolder, "decompose", "summary.json")));

        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(config.RunFolder, "run.json"))))
        {
            var root = run.RootElement;
            Assert.True(root.GetProperty("complete").GetBoolean());
            Assert.Equal("cpu", root.GetProperty("device").GetProperty("requested").GetString());
            Assert.Equal("cpu (CPUExecutionProvider)", root.GetProperty("device").GetProperty("used").GetString());
            Assert.StartsWith("0.", root.GetProperty("tool").GetProperty("version").GetString());
            var files = root.GetProperty("inputs").GetProperty("files").EnumerateArray().ToList();
            var corpus = files.Single(f => f.GetProperty("role").GetString() == "corpus");
            Assert.Equal(Sha256File.Of(config.Corpus), corpus.GetProperty("sha256").GetString());
            Assert.Contains(files, f => f.GetProperty("role").GetString() == "model:pythia8k-h64-l2" && f.GetProperty("path").GetString()!.EndsWith("model.safetensors"));
            Assert.Equal(1, root.GetProperty("invocations").GetArrayLength());
        }

        var before = RunOutputs.Hashes(config.RunFolder);
        var second = await RunPipeline.RunAsync(config);
        Assert.Contains("0 parts written", second.Stages.Single(s => s.Stage == "infer").Summary);
        Assert.Contains("0 exported", second.Stages.Single(s => s.Stage == "export").Summary);
        Assert.Equal(before, RunOutputs.Hashes(config.RunFolder));
        using var again = JsonDocument.Parse(File.ReadAllText(Path.Combine(config.RunFolder, "run.json")));
        Assert.Equal(2, again.RootElement.GetProperty("invocations").GetArrayLength());
        // Nothing was scored again, so the provider of the invocation that scored stays recorded.
        Assert.Equal("cpu (CPUExecutionProvider)", again.RootElement.GetProperty("device").GetProperty("used").GetString());
    }

    [Fact]
    public async Task A_run_whose_input_changed_since_it_began_is_refused()
    {
        using var tmp = new TempFolder();
        var path = SmallRunConfig.Write(tmp.Path, documents: 20);
        var config = RunConfigReader.Read(path) with { Gradients = new GradientsSettings { Enabled = false } };
        await RunPipeline.RunAsync(config);
        // Same length, other content: ingest's size fingerprint cannot see it, the run's sha256 can.
        var text = File.ReadAllText(config.Corpus);
        File.WriteAllText(config.Corpus, text.Replace('a', 'e'));
        var e = await Assert.ThrowsAsync<QuantaException>(() => RunPipeline.RunAsync(config));
        Assert.StartsWith(config.Corpus + ": changed since this run began", e.Message);
    }

    [Fact]
    public void A_second_process_cannot_write_a_run_that_is_locked()
    {
        using var tmp = new TempFolder();
        var run = tmp.Sub("run");
        using (RunFolderLock.Acquire(run, ShardSpec.All))
        {
            var (code, _, err) = QuantaProcess.Run("infer", "--run", run);
            Assert.NotEqual(0, code);
            // infer checks the run is ingested before it locks; a locked, empty run fails on either
            Assert.StartsWith("error: ", err);
            var (runCode, _, runErr) = QuantaProcess.Run("run", SmallRunConfig.Write(tmp.Path));
            Assert.Equal(1, runCode);
            Assert.Equal($"error: {run}: another quanta process is writing this run (.lock/all is locked); wait for it to end, or give this one another run folder", runErr.Trim());
        }
    }

    [Fact]
    public void Shards_lock_side_by_side_but_not_beside_a_whole_run_writer()
    {
        using var tmp = new TempFolder();
        using (RunFolderLock.Acquire(tmp.Path, new ShardSpec(0, 2)))
        using (RunFolderLock.Acquire(tmp.Path, new ShardSpec(0, 2)))   // re-entrant in one process
        {
            var (code, _, err) = QuantaProcess.Run("run", SmallRunConfig.Write(tmp.Path, runFolder: "."));
            Assert.Equal(1, code);
            Assert.Contains(".lock/shard-0-of-2 is locked", err);
        }
        using (RunFolderLock.Acquire(tmp.Path, ShardSpec.All)) { }     // released: free again
    }

    [Fact]
    public void Shards_starting_together_do_not_refuse_each_other()
    {
        // Another shard starting at the same moment checks RUN/.lock/all for a whole-run writer; that
        // check must not look like a writer to this shard (slurm arrays and Indexed Jobs start together).
        using var tmp = new TempFolder();
        using (RunFolderLock.Acquire(tmp.Path, ShardSpec.All)) { }   // creates .lock/all
        string all = Path.Combine(tmp.Path, RunFolderLock.FolderName, "all");
        using (new FileStream(all, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))   // the other shard's check, in flight
        using (RunFolderLock.Acquire(tmp.Path, new ShardSpec(1, 2))) { }
        using (new FileStream(Path.Combine(tmp.Path, RunFolderLock.FolderName, "shard-0-of-2"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            Assert.Throws<QuantaException>(() => RunFolderLock.Acquire(tmp.Path, ShardSpec.All));   // a shard at work still excludes a whole-run writer
    }
}
