using System.Diagnostics;

namespace QuantaProbe.Tests;

/// <summary>The built `quanta` command, run as a user runs it (a separate process).</summary>
internal static class QuantaProcess
{
    public static Process Start(params string[] args) => Start(null, args);

    /// <summary>Starts quanta with <paramref name="environment"/> changed (a null value removes the variable).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "quanta.dll"));
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        return Process.Start(info)!;
    }

    public static (int Code, string Out, string Err) Run(params string[] args) => Run(null, args);

    public static (int Code, string Out, string Err) Run(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(300_000), "quanta " + string.Join(' ', args) + " did not end within 5 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
