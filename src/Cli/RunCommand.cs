using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Run;

namespace QuantaProbe.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("CONFIG") { Description = "A run config, JSON or YAML (see configs/demo.json); its paths are relative to it" };
        var shard = new Option<string?>("--shard") { Description = "i/n: this process runs shard i of n (overrides the config's shard); start all n, on one machine or many sharing the run folder" };
        var command = new Command("run", "Run every stage of a config (ingest, export, infer, gradients, decompose, report), skipping what is complete; run it again to resume")
        {
            config, shard,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var settings = RunConfigReader.Read(parse.GetValue(config)!);
            if (parse.GetValue(shard) is { } text)
                settings = settings with { Shard = ShardSpec.Parse(text) };
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
