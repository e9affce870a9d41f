namespace QuantaProbe.Tests.Run;

/// <summary>`quanta run` killed with SIGKILL at random moments, then resumed, ends with the files of an uninterrupted run.</summary>
public class RunKillTests
{
    [Fact]
    public void Kill_9_at_random_moments_then_resume_gives_the_files_of_an_uninterrupted_run()
    {
        using var tmp = new TempFolder();
        var reference = SmallRunConfig.Write(tmp.Sub("reference"));
        var (code, _, err) = QuantaProcess.Run("run", reference);
        Assert.True(code == 0, err);
        var expected = RunOutputs.Hashes(Path.Combine(tmp.Path, "reference", "run"));

        var config = SmallRunConfig.Write(tmp.Sub("killed"));
        var random = new Random(7);
        int killed = 0;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            using var p = QuantaProcess.Start("run", config);
            if (!p.WaitForExit(random.Next(300, 4000)))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                killed++;
            }
        }
        var (resumed, _, resumeErr) = QuantaProcess.Run("run", config);
        Assert.True(resumed == 0, resumeErr);
        Assert.True(killed >= 1, "no run was killed mid-way: the kill moments are too late for this machine");
        var run = Path.Combine(tmp.Path, "killed", "run");
        Assert.Equal(expected, RunOutputs.Hashes(run));
        Assert.Empty(RunOutputs.Temporaries(run));
    }
}
