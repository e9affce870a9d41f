using System.CommandLine;
using QuantaProbe.Run;

namespace QuantaProbe.Cli;

internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Argument<string>("CONFIG") { Description = "A run config, JSON or YAML (see configs/demo.json); its paths are relative to it" };
        var command = new Command("run", "Run every stage of a config (ingest, export, infer, gradients, decompose, report), skipping what is complete; run it again to resume")
        {
            config,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var settings = RunConfigReader.Read(parse.GetValue(config)!);
            Console.WriteLine($"run: {settings.Family.Count} models, corpus {settings.Corpus} → {settings.RunFolder}");
            var result = await RunPipeline.RunAsync(settings, (stage, work) => ProgressDisplay.RunAsync(stage, work), line => Console.Error.WriteLine("run: " + line), ct);
            foreach (var (stage, seconds, summary) in result.Stages)
                Console.WriteLine($"{stage,-10} {seconds,8:F1} s  {summary}");
            Console.WriteLine($"run complete in {result.Seconds / 60:F1} min: {Path.Combine(result.RunFolder, "run.json")}");
            Console.WriteLine($"summary: {result.SummaryPath}");
            if (result.ReportPath is not null)
                Console.WriteLine($"report: {result.ReportPath}");
        }, cancel));
        return command;
    }
}
