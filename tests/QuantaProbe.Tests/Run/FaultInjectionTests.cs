using System.Diagnostics;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Run;

/// <summary>
/// The fault-injection harness: `quanta run` on a small config is killed with SIGKILL at 20 random
/// moments spread over all its stages (each run folder is resumed until complete, then a fresh one
/// is started, so early stages are hit as often as late ones); every completed folder must hold
/// exactly the Parquet files of an uninterrupted run (same bytes) and no temporary file.
/// </summary>
[Trait("tier", "slow")]
public class FaultInjectionTests(ITestOutputHelper output)
{
    private const int Kills = 20;

    [Fact]
    public void Twenty_SIGKILLs_across_all_stages_lose_and_double_nothing()
    {
        using var tmp = new TempFolder();
        var clock = Stopwatch.StartNew();
        var (code, _, err) = QuantaProcess.Run("run", SmallRunConfig.Write(tmp.Sub("reference")));
        Assert.True(code == 0, err);
        int uninterruptedMs = (int)clock.ElapsedMilliseconds;
        var expected = RunOutputs.Hashes(Path.Combine(tmp.Path, "reference", "run"));

        var random = new Random(20261123);
        var stagesHit = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int kills = 0, folders = 0, resumes = 0;
        while (kills < Kills)
        {
            var folder = tmp.Sub($"killed-{folders++}");
            var config = SmallRunConfig.Write(folder);
            while (true)
            {
                using var p = QuantaProcess.Start("run", config);
                var stderr = new System.Text.StringBuilder();
                p.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
                p.BeginErrorReadLine();
                var stdout = p.StandardOutput.ReadToEndAsync();
                if (kills < Kills && !p.WaitForExit(random.Next(200, uninterruptedMs)))
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit();
                    kills++;
                    string stage;
                    lock (stderr) stage = LastStageStarted(stderr.ToString());
                    stagesHit[stage] = stagesHit.GetValueOrDefault(stage) + 1;
                    resumes++;
                    continue;
                }
                p.WaitForExit();
                Assert.True(p.ExitCode == 0, $"a resumed run failed: {stderr}");
                break;
            }
            var run = Path.Combine(folder, "run");
            Assert.Equal(expected, RunOutputs.Hashes(run));
            Assert.Empty(RunOutputs.Temporaries(run));
        }
        output.WriteLine($"{kills} SIGKILLs over {folders} run folders ({resumes} resumes), uninterrupted run {uninterruptedMs} ms; "
            + $"killed during: {string.Join(", ", stagesHit.Select(p => $"{p.Key} {p.Value}"))}; every folder equal to the uninterrupted run");
        Assert.True(stagesHit.Count >= 3, $"the kills hit only {string.Join(", ", stagesHit.Keys)}: not spread over the stages");
    }

    /// <summary>The stage a run was in: the stage after the last one it reported finished ("run: STAGE: …").</summary>
    private static string LastStageStarted(string log)
    {
        string[] order = ["ingest", "export", "infer", "gradients", "decompose", "report"];
        int done = -1;
        foreach (var line in log.Split('\n'))
            for (int i = 0; i < order.Length; i++)
                if (line.StartsWith($"run: {order[i]}: ", StringComparison.Ordinal))
                    done = Math.Max(done, i);
        return done + 1 < order.Length ? order[done + 1] : "finishing";
    }
}
