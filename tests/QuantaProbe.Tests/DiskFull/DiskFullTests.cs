namespace QuantaProbe.Tests.DiskFull;

/// <summary>
/// `quanta run` with its run folder on a file system that fills up: it fails with one line saying
/// the disk is full, leaves only complete files (identical to an uninterrupted run's) and hidden
/// temporaries, and the same command run after the folder moved to a roomy disk ends with the
/// files of an uninterrupted run.
/// </summary>
[Trait("tier", "slow")]
[Trait("needs", "namespace")]
public class DiskFullTests
{
    [Fact]
    public void A_full_tmpfs_fails_cleanly_and_the_run_resumes_on_a_roomy_disk()
    {
        using var tmp = new TempFolder();
        var run = new DiskFullRun(tmp.Sub("work"));
        string unshare = Environment.IsPrivilegedProcess ? "unshare --mount" : "unshare --user --map-root-user --mount";
        RequireMountNamespace(run, unshare);

        var (reference, referenceFolder) = Reference(run, tmp);
        long ingest = Directory.EnumerateFiles(referenceFolder, "*.parquet", SearchOption.AllDirectories)
            .Where(f => f.Contains("/tokens/") || f.Contains("/documents/")).Sum(DiskFullRun.PageBytes);
        long firstModel = DiskFullRun.PageBytes(Path.Combine(referenceFolder, "models", "pythia8k-h32-l2-step200", "loss.onnx"));
        // Full while ingest writes its parts; full after the first model's loss.onnx and model.json, in its grad.onnx.
        foreach (long size in new[] { ingest / 2 / 4096 * 4096, ingest + firstModel + (64 << 10) })
        {
            var stage = Path.Combine(tmp.Path, $"stage-{size}");
            Directory.CreateDirectory(stage);
            File.WriteAllText(Path.Combine(run.Work, "full-disk.sh"), $"""
                mount -t tmpfs -o size={size} tmpfs disk || exit 99
                {run.QuantaRunCommand}
                rc=$?
                cp -a disk/. '{stage}/'
                exit $rc
                """);
            var (code, err) = run.Bash($"{unshare} bash full-disk.sh");
            AssertFailedCleanly(code, err, "disk is full", run.RunFolder, size);
            AssertOnlyCompleteFiles(Path.Combine(stage, "run"), reference);

            // "Move to a roomy disk": the same path without the tmpfs, so the config (an input of run.json) is unchanged.
            CopyInto(stage, run.Disk);
            run.RunToCompletion();
            Assert.Equal(reference, DiskFullRun.Outputs(run.RunFolder));
            Assert.Empty(Run.RunOutputs.Temporaries(run.RunFolder));
            Directory.Delete(run.RunFolder, recursive: true);
        }
    }

    [Fact]
    public void A_file_size_limit_fails_cleanly_and_the_run_resumes()
    {
        using var tmp = new TempFolder();
        var run = new DiskFullRun(tmp.Sub("work"));
        var (reference, referenceFolder) = Reference(run, tmp);
        long limitKb = new FileInfo(Path.Combine(referenceFolder, "models", "pythia8k-h32-l2-step200", "loss.onnx")).Length / 2 / 1024;

        // SIGXFSZ ignored, so a write past the limit fails with EFBIG instead of killing the process;
        // W^X off, because the runtime's double-mapped code memory is a file the limit also applies to.
        var (code, err) = run.Bash($"trap '' XFSZ; ulimit -f {limitKb}; exec {run.QuantaRunCommand}",
            new() { ["DOTNET_EnableWriteXorExecute"] = "0" });
        AssertFailedCleanly(code, err, "file-size limit", null, limitKb);
        AssertOnlyCompleteFiles(run.RunFolder, reference);

        run.RunToCompletion();
        Assert.Equal(reference, DiskFullRun.Outputs(run.RunFolder));
        Assert.Empty(Run.RunOutputs.Temporaries(run.RunFolder));
    }

    private static (SortedDictionary<string, string> Outputs, string Folder) Reference(DiskFullRun run, TempFolder tmp)
    {
        run.RunToCompletion();
        var outputs = DiskFullRun.Outputs(run.RunFolder);
        var folder = Path.Combine(tmp.Path, "reference");
        Directory.Move(run.RunFolder, folder);
        return (outputs, folder);
    }

    private static void RequireMountNamespace(DiskFullRun run, string unshare)
    {
        var (code, err) = run.Bash($"{unshare} bash -c 'mount -t tmpfs -o size=64k tmpfs disk'");
        Assert.True(code == 0, $"this test mounts a small tmpfs in a private mount namespace (`{unshare}`), which failed: {err}. "
            + "Run the tests as root, or allow unprivileged user namespaces (util-linux unshare; sysctl kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0).");
    }

    private static void AssertFailedCleanly(int code, string err, string phrase, string? namedFolder, long size)
    {
        var lines = err.Split('\n');
        string last = lines[^1];
        Assert.True(code == 1, $"limit {size}: exit code {code}, stderr: {err}");
        Assert.StartsWith("error: ", last);
        Assert.Contains(phrase, last);
        Assert.Contains("free space or move the run folder", last);
        if (namedFolder is not null)
            Assert.Contains(namedFolder, last);
        Assert.DoesNotContain(lines[..^1], l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// What a failed run left: hidden temporaries, and files identical to the uninterrupted run's
    /// (family.json may list fewer models: it grows one complete model at a time).
    /// </summary>
    private static void AssertOnlyCompleteFiles(string failedRun, SortedDictionary<string, string> reference)
    {
        Assert.True(Directory.Exists(failedRun), $"{failedRun} was not created");
        foreach (var file in Directory.EnumerateFiles(failedRun, "*", SearchOption.AllDirectories))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('.'))
                Assert.True(name.EndsWith(".tmp", StringComparison.Ordinal) || file.Contains("/.lock/"), $"unexpected hidden file {file}");
        }
        foreach (var (relative, hash) in DiskFullRun.Outputs(failedRun))
        {
            if (Path.GetFileName(relative).StartsWith('.') || relative == Path.Combine("models", "family.json"))
                continue;
            Assert.True(reference.TryGetValue(relative, out var expected) && expected == hash, $"{relative} differs from the uninterrupted run's: a half-written file");
        }
    }

    private static void CopyInto(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to, overwrite: true);
        }
    }
}
