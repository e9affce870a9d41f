using System.Diagnostics;

namespace QuantaProbe.Tests;

/// <summary>The built `quanta` command, run as a user runs it (a separate process).</summary>
internal static class QuantaProcess
{
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "quanta.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), "quanta " + string.Join(' ', args) + " did not end within 5 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
