using System.CommandLine;
using QuantaProbe.Report;

namespace QuantaProbe.Cli;

internal static class ReportCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder (after decompose; sections for gradients and ground truth appear when present)", Required = true };
        var samples = new Option<int>("--similarity-samples") { Description = "QDG samples drawn in the similarity matrix (evenly from each cluster)", DefaultValueFactory = _ => 300 };
        var clusters = new Option<int>("--clusters") { Description = "Largest clusters of the reference k shown with token contexts", DefaultValueFactory = _ => 10 };

        var command = new Command("report", "A self-contained HTML report of the run (figures, token contexts, every number with its interval) → report/")
        {
            run, samples, clusters,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("report", progress => ReportStage.RunAsync(new ReportOptions
            {
                RunFolder = parse.GetValue(run)!,
                SimilaritySamples = Math.Max(2, parse.GetValue(samples)),
                ClustersShown = Math.Max(0, parse.GetValue(clusters)),
                Progress = progress,
            }, ct));
            Console.WriteLine($"report: {result.Figures.Count} figures; sections {string.Join(", ", result.SectionsShown)}"
                + (result.SectionsMissing.Count > 0 ? $"; not available: {string.Join(", ", result.SectionsMissing)} (the page says which command adds each)" : "")
                + $" ({clock.Elapsed.TotalSeconds:F1} s)");
            StageClock.PrintEnd("report", true, result.IndexPath);
        }, cancel));
        return command;
    }
}
