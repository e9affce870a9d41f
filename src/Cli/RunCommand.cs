using System.CommandLine;
using QuantaProbe.Core.Options;
using QuantaProbe.Run;

namespace QuantaProbe.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("CONFIG") { Description = "A run config, JSON or YAML (see configs/demo.json); its paths are relative to it" };
        var shard = new CliSettings([RunLevelSettings.Shard]);
        var command = new Command("run", "Run every stage of a config (ingest, export, infer, gradients, decompose, report), skipping what is complete; run it again to resume")
        {
            config,
        };
        foreach (var option in shard.Options)
            command.Options.Add(option);
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var settings = RunConfigReader.Read(parse.GetValue(config)!);
            // The command line's shard overrides the config's.
            if (shard.Read(parse) is var given && given.Has(RunLevelSettings.Shard))
                settings = settings with { Shard = given.Get(RunLevelSettings.Shard) };
            Console.WriteLine($"run: {settings.Family.Count} models, corpus {settings.Corpus} → {settings.RunFolder}");
            var result = await RunPipeline.RunAsync(settings, (stage, work) => ProgressDisplay.RunAsync(stage, work), line => Console.Error.WriteLine("run: " + line), ct);
            foreach (var (stage, seconds, summary) in result.Stages)
                Console.WriteLine($"{stage,-10} {seconds,8:F1} s  {summary}");
            Console.WriteLine(result.SummaryPath is null
                ? $"shard {settings.Shard} done in {result.Seconds / 60:F1} min; shard 0/{settings.Shard.Count} writes decompose and the report"
                : $"run complete in {result.Seconds / 60:F1} min: {Path.Combine(result.RunFolder, "run.json")}");
            if (result.SummaryPath is not null)
                Console.WriteLine($"summary: {result.SummaryPath}");
            if (result.ReportPath is not null)
                Console.WriteLine($"report: {result.ReportPath}");
        }, cancel));
        return command;
    }
}
