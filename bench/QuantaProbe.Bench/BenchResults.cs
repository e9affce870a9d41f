using QuantaProbe.Core;
using System.Text;

namespace QuantaProbe.Bench;

/// <summary>
/// Everything a benchmark prints also goes to bench/results/NAME.md (with the date, the machine and the
/// command that regenerates it), so that the figures the README cites are the benchmark's own output.
/// The file is written when the benchmark ends with exit code 0; a failed run leaves the previous file.
/// </summary>
internal sealed class BenchResults : IDisposable
{
    private readonly TextWriter _console = Console.Out;
    private readonly StringWriter _captured = new();
    private readonly string _name;
    private readonly string _command;
    private readonly string _loadAtStart = LoadAverage();

    private BenchResults(string name, IEnumerable<string> args)
    {
        _name = name;
        _command = "dotnet run -c Release --project bench/QuantaProbe.Bench -- " + string.Join(' ', args);
        Console.SetOut(new Tee(_console, _captured));
    }

    public static string PathOf(string name) => Path.Combine(BenchPaths.RepoRoot, "bench", "results", name + ".md");

    public static BenchResults Capture(string name, IEnumerable<string> args) => new(name, args);

    /// <summary>Writes the results file; call when the benchmark succeeded.</summary>
    public void Save()
    {
        string path = PathOf(_name);
        var text = new StringBuilder()
            .AppendLine($"# {_name} benchmark ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription})")
            .AppendLine()
            .AppendLine($"Regenerate: `{_command}`. Load average (1 min) at the start: {_loadAtStart}, at the end: {LoadAverage()} (other work on the machine slows every figure; ratios measured in one process are the comparable ones).")
            .AppendLine()
            .AppendLine("```")
            .Append(_captured.ToString().TrimEnd())
            .AppendLine()
            .AppendLine("```");
        AtomicFile.WriteAllText(path, text.ToString());
        _console.WriteLine($"wrote {path}");
    }

    public void Dispose() => Console.SetOut(_console);

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private sealed class Tee(TextWriter first, TextWriter second) : TextWriter
    {
        public override Encoding Encoding => first.Encoding;
        public override void Write(char value) { first.Write(value); second.Write(value); }
        public override void Write(string? value) { first.Write(value); second.Write(value); }
        public override void WriteLine(string? value) { first.WriteLine(value); second.WriteLine(value); }
        public override void Flush() { first.Flush(); second.Flush(); }
    }
}
