using System.Diagnostics;

namespace QuantaProbe.Cli;

/// <summary>Times a stage and phrases its rate and its ending the same way for every command.</summary>
internal sealed class StageClock
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => _clock.Elapsed;

    public string Rate(long tokens) => $"{PerSecond(tokens)} tokens/s";

    public string PerSecond(long count) => $"{count / Math.Max(_clock.Elapsed.TotalSeconds, 1e-3):N0}";

    public static void PrintEnd(string stage, bool complete, string? output) =>
        Console.WriteLine(complete
            ? $"{stage} complete: {output}"
            : $"{stage}: this shard is done; the run is complete when every shard has run");
}
