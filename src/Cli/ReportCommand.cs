using System.CommandLine;
using QuantaProbe.Report;
using S = QuantaProbe.Report.ReportOptions.Settings;
using QuantaProbe.Report.Stage;

namespace QuantaProbe.Cli;

internal static class ReportCommand
{
    public static Command Create()
    {
        var settings = new CliSettings(S.All);
        var command = settings.Command("report", "A self-contained HTML report of the run (figures, token contexts, every number with its interval) → report/");
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var given = settings.Read(parse);
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("report", progress => ReportStage.RunAsync(S.From(given, given.Get(S.Run)!) with { Progress = progress }, ct));
            Console.WriteLine($"report: {result.Figures.Count} figures; sections {string.Join(", ", result.SectionsShown)}"
                + (result.SectionsMissing.Count > 0 ? $"; not available: {string.Join(", ", result.SectionsMissing)} (the page says which command adds each)" : "")
                + $" ({clock.Elapsed.TotalSeconds:F1} s)");
            StageClock.PrintEnd("report", true, result.IndexPath);
        }, cancel));
        return command;
    }
}
