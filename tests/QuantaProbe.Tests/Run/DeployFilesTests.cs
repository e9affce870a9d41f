using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace QuantaProbe.Tests.Run;

/// <summary>The scale-out examples in deploy/ run `quanta run CONFIG --shard i/n` with the scheduler's index and count.</summary>
[Trait("tier", "fast")]
public class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(SharedData.RepoRoot, "deploy");

    [Theory]
    [InlineData(0, 8, 3, "3/8")]   // sbatch --array=0-7
    [InlineData(1, 8, 1, "0/8")]   // sbatch --array=1-8
    public void Slurm_array_task_runs_its_shard(int taskMin, int taskCount, int taskId, string expected)
    {
        using var tmp = new TempFolder();
        var fake = tmp.File("quanta", "#!/bin/sh\necho \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(Deploy, "slurm-run.sh"));
        info.ArgumentList.Add("configs/run.json");
        info.Environment["QUANTA"] = fake;
        info.Environment["SLURM_ARRAY_TASK_MIN"] = taskMin.ToString();
        info.Environment["SLURM_ARRAY_TASK_COUNT"] = taskCount.ToString();
        info.Environment["SLURM_ARRAY_TASK_ID"] = taskId.ToString();
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(0, p.ExitCode);
        Assert.Equal($"run configs/run.json --shard {expected}", output.Trim());
    }

    [Fact]
    public void Kubernetes_indexed_job_runs_one_shard_per_completion_index()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(Deploy, "k8s-run-job.yaml"))));
        var job = (YamlMappingNode)yaml.Documents[0].RootNode;
        var spec = (YamlMappingNode)job["spec"];
        Assert.Equal("Job", job["kind"].ToString());
        Assert.Equal("Indexed", spec["completionMode"].ToString());
        string completions = spec["completions"].ToString();
        Assert.Equal(completions, spec["parallelism"].ToString());
        var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)spec["template"])["spec"])["containers"])[0];
        string command = ((YamlSequenceNode)container["args"])[0].ToString();
        Assert.Contains($"--shard \"${{JOB_COMPLETION_INDEX}}/{completions}\"", command);
        Assert.Contains(" run ", command);
    }
}
