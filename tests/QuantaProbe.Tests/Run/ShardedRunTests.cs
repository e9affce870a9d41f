using QuantaProbe.Run;

namespace QuantaProbe.Tests.Run;

/// <summary>`quanta run --shard i/n`: n processes side by side write exactly the files of one unsharded run.</summary>
[Trait("tier", "slow")]
public class ShardedRunTests
{
    [Fact]
    public async Task Three_shards_run_side_by_side_write_the_files_of_one_unsharded_run()
    {
        using var tmp = new TempFolder();
        var whole = SmallRunConfig.Write(tmp.Sub("whole"));
        var (code, _, err) = QuantaProcess.Run("run", whole);
        Assert.True(code == 0, err);

        var sharded = SmallRunConfig.Write(tmp.Sub("sharded"));
        var shards = Enumerable.Range(0, 3).Select(i => QuantaProcess.Start("run", sharded, "--shard", $"{i}/3")).ToList();
        var outputs = shards.Select(p => (Out: p.StandardOutput.ReadToEndAsync(), Err: p.StandardError.ReadToEndAsync())).ToList();
        for (int i = 0; i < shards.Count; i++)
        {
            Assert.True(shards[i].WaitForExit(300_000), $"shard {i}/3 did not end");
            Assert.True(shards[i].ExitCode == 0, $"shard {i}/3: {await outputs[i].Err}");
            shards[i].Dispose();
        }
        Assert.Contains("shard 1/3 done", await outputs[1].Out);
        Assert.Contains("run complete", await outputs[0].Out);

        var expected = RunOutputs.Hashes(Path.Combine(tmp.Path, "whole", "run"));
        var run = Path.Combine(tmp.Path, "sharded", "run");
        Assert.Equal(expected, RunOutputs.Hashes(run));
        Assert.True(File.Exists(Path.Combine(run, "report", "index.html")));
        Assert.True(File.Exists(Path.Combine(run, "run.shard-2-of-3.json")));
        Assert.Empty(RunOutputs.Temporaries(run));
    }

    [Fact]
    public async Task A_shard_waiting_for_missing_shards_gives_up_after_its_limit_with_a_clear_message()
    {
        using var tmp = new TempFolder();
        var config = RunConfigReader.Read(SmallRunConfig.Write(tmp.Path)) with
        {
            Shard = new Core.ShardSpec(1, 2), ShardWaitHours = 1.0 / 3600, ShardPoll = TimeSpan.FromMilliseconds(50),
        };
        var e = await Assert.ThrowsAsync<Core.QuantaException>(() => RunPipeline.RunAsync(config));
        Assert.StartsWith("waited 0 h for the other shards' ingest", e.Message);
        Assert.Contains("restart the missing ones", e.Message);
    }
}
