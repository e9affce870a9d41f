using System.Diagnostics;
using System.Text.Json;

namespace QuantaProbe.Bench;

/// <summary>What a child benchmark process printed last as one JSON line, and its wall time as the parent saw it.</summary>
internal sealed record BenchChildResult(double WallSeconds, JsonElement Json)
{
    public double Get(string key) => Json.GetProperty(key).GetDouble();
    public long GetLong(string key) => Json.GetProperty(key).GetInt64();
}

/// <summary>
/// Runs this benchmark assembly again in a child process (a fresh heap, so its VmHWM is one measurement's peak) with
/// hidden arguments, and reads the JSON line it prints last.
/// </summary>
internal static class BenchChild
{
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <exception cref="InvalidOperationException">The child failed or printed no JSON line; the message holds its output.</exception>
    public static BenchChildResult Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            start.ArgumentList.Add(typeof(BenchChild).Assembly.Location);
        var given = args.ToList();
        foreach (var arg in given)
            start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        double wall = clock.Elapsed.TotalSeconds;
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (child.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"{string.Join(' ', given)} failed (exit {child.ExitCode}): {output.Trim()}");
        return new BenchChildResult(wall, JsonDocument.Parse(line).RootElement.Clone());
    }
}
