using System.CommandLine;
using QuantaProbe.Decompose.Stage;
using S = QuantaProbe.Decompose.Stage.DecomposeOptions.Settings;

namespace QuantaProbe.Cli;

internal static class DecomposeCommand
{
    public static Command Create()
    {
        var settings = new CliSettings(S.All);
        var command = settings.Command("decompose", "Scaling fits, per-token curves, loss distributions and QDG clusters with their power law → decompose/");
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var given = settings.Read(parse);
            var options = S.From(given, given.Get(S.Run)!) with { Progress = line => Console.Error.WriteLine("decompose: " + line) };
            var result = await DecomposeStage.RunAsync(options, ct);
            Console.WriteLine($"decompose: {result.TokenScalingPartsWritten} token_scaling parts written");
            StageClock.PrintEnd("decompose", result.Complete, result.SummaryPath);
        }, cancel));
        return command;
    }
}
