using System.CommandLine;
using QuantaProbe.Core.Options;
using QuantaProbe.Infer;
using QuantaProbe.Models.Runtime;
using S = QuantaProbe.Infer.InferOptions.Settings;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Onnx;

namespace QuantaProbe.Cli;

internal static class InferCommand
{
    public static Command Create()
    {
        var settings = new CliSettings(S.All);
        var command = settings.Command("infer", "Per-token losses of every model over tokens/ → losses/model=<model>/part-*.parquet (with --context-probe also context/model=<best>/)");
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var given = settings.Read(parse);
            var options = new InferOptions
            {
                RunFolder = given.Get(S.Run)!,
                Models = given.Get(S.Models),
                Device = given.Get(InferenceDeviceSetting.Device),
                BatchTokens = given.Get(S.BatchTokens),
                Shard = given.Get(RunLevelSettings.Shard),
                Threads = given.Get(RunLevelSettings.Threads),
                ContextProbe = ContextProbeOptions.Settings.From(given),
            };
            if (options.ContextProbe.Enabled)
                ContextProbeStage.CheckAgainstRun(options);
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("infer", report =>
                InferStage.RunAsync(options, new Progress<InferProgress>(p => report(p.TokensDone, p.TokensTotal,
                    $"{p.Model}: {p.TokensDone:N0}/{p.TokensTotal:N0} tokens, {clock.Rate(p.TokensDone)}")), ct));
            Console.WriteLine($"infer: {result.Models.Count} models, {result.PartsWritten} parts written ({result.TokensScored:N0} losses, "
                + $"{clock.Rate(result.TokensScored)}), {result.PartsSkipped} already complete");
            StageClock.PrintEnd("infer", result.Complete, Path.Combine(options.RunFolder, RunPaths.Losses));
            if (!options.ContextProbe.Enabled)
                return;
            var probeClock = new StageClock();
            var probe = await ProgressDisplay.RunAsync("context probe", report =>
                ContextProbeStage.RunAsync(options, new Progress<InferProgress>(p => report(p.TokensDone, p.TokensTotal,
                    $"{p.Model}: {p.TokensDone:N0}/{p.TokensTotal:N0} targets, {probeClock.PerSecond(p.TokensDone)} targets/s")), ct));
            Console.WriteLine($"context probe: {probe.Model} at n = {string.Join(",", probe.ContextLengths)}; {probe.PartsWritten} parts written ({probe.Targets:N0} targets, "
                + $"{probe.WindowTokens:N0} window tokens, {probeClock.Rate(probe.WindowTokens)}), {probe.PartsSkipped} already complete");
            StageClock.PrintEnd("context probe", probe.Complete, Path.Combine(options.RunFolder, RunPaths.Context));
        }, cancel));
        return command;
    }
}
