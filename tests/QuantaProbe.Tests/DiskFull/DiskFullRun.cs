using System.Diagnostics;
using System.Text.RegularExpressions;
using QuantaProbe.Core;

namespace QuantaProbe.Tests.DiskFull;

/// <summary>
/// A small `quanta run` (16 documents, two tiny models, gradients, decompose; no report) whose run
/// folder is &lt;work&gt;/disk/run, so a small file system can be mounted on &lt;work&gt;/disk.
/// </summary>
internal sealed partial class DiskFullRun
{
    public string Work { get; }
    public string Config { get; }
    public string Disk => Path.Combine(Work, "disk");
    public string RunFolder => Path.Combine(Disk, "run");

    public DiskFullRun(string work)
    {
        Work = work;
        Directory.CreateDirectory(Disk);
        Config = Run.SmallRunConfig.Write(work, runFolder: "disk/run", documents: 16, docsPerPart: 4,
            models: ["pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1200"], samples: 24, report: false);
    }

    public string QuantaRunCommand => $"dotnet '{Path.Combine(AppContext.BaseDirectory, "quanta.dll")}' run '{Config}'";

    /// <summary>Runs a bash script (in <see cref="Work"/>) that runs `quanta run` somehow; returns its exit code and stderr.</summary>
    public (int Code, string Err) Bash(string script, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Work };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var (key, value) in environment ?? [])
            info.Environment[key] = value;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"bash -c {script} did not end within 3 minutes");
        }
        _ = stdout.Result;
        return (p.ExitCode, stderr.Result.Trim());
    }

    public void RunToCompletion()
    {
        var (code, _, err) = QuantaProcess.Run("run", Config);
        Assert.True(code == 0, err);
    }

    /// <summary>
    /// Every file of a run folder (relative path → sha256) except run.json (invocations, timings)
    /// and the lock; JSON results are hashed without their "*_seconds" timings.
    /// </summary>
    public static SortedDictionary<string, string> Outputs(string runFolder)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(runFolder, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(runFolder, file);
            if (relative == "run.json" || relative.StartsWith(".lock", StringComparison.Ordinal))
                continue;
            if (file.EndsWith(".json", StringComparison.Ordinal))
            {
                var text = Timing().Replace(File.ReadAllText(file), "\"$1_seconds\": 0");
                result[relative] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
            }
            else
                result[relative] = Sha256File.Of(file);
        }
        return result;
    }

    /// <summary>Bytes a file takes on tmpfs (whole pages).</summary>
    public static long PageBytes(string file) => (new FileInfo(file).Length + 4095) / 4096 * 4096;

    [GeneratedRegex("\"([a-z_]+)_seconds\":\\s*[-0-9.eE+]+")]
    private static partial Regex Timing();
}
