using System.CommandLine;
using QuantaProbe.Core.Options;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using S = QuantaProbe.Gradients.GradientsOptions.Settings;
using QuantaProbe.Onnx;

namespace QuantaProbe.Cli;

internal static class GradientsCommand
{
    public static Command Create()
    {
        var settings = new CliSettings(S.All);
        var command = settings.Command("gradients", "Per-token gradient sketches of selected tokens → gradients/model=<model>/part-*.parquet");
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var given = settings.Read(parse);
            var options = new GradientsOptions
            {
                RunFolder = given.Get(S.Run)!,
                Model = given.Get(S.Model)!,
                SelectionModel = given.Get(S.SelectModel),
                Selection = SelectionOptions.Settings.From(given),
                Gradient = GradientOptions.Settings.From(given),
                Device = given.Get(InferenceDeviceSetting.Device),
                BatchTokens = given.Get(S.BatchTokens),
                Shard = given.Get(RunLevelSettings.Shard),
                Threads = given.Get(RunLevelSettings.Threads),
            };
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("gradients", report =>
                GradientsStage.RunAsync(options, new Progress<GradientsProgress>(p => report(p.Done, p.Total, $"{p.Done:N0}/{p.Total:N0} gradients, {clock.PerSecond(p.Done)} gradients/s")), ct));
            Console.WriteLine($"gradients: {result.Model}, {result.Samples:N0} selected tokens, {result.PartsWritten} parts written ({result.GradientsComputed:N0} gradients, "
                + $"{clock.PerSecond(result.GradientsComputed)} gradients/s), {result.PartsSkipped} already complete");
            StageClock.PrintEnd("gradients", result.Complete, result.Folder);
        }, cancel));
        return command;
    }
}
