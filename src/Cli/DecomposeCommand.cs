using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Decompose.Stage;

namespace QuantaProbe.Cli;

internal static class DecomposeCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder (after infer)", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the bootstrap", DefaultValueFactory = _ => 0 };
        var resamples = new Option<int>("--resamples") { Description = "Bootstrap resamples over documents", DefaultValueFactory = _ => 1000 };
        var shard = StageClock.ShardOption("classify tokens of");

        var command = new Command("decompose", "Scaling fits with bootstrap intervals, per-token curves and loss distributions → decompose/")
        {
            run, seed, resamples, shard,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var result = await DecomposeStage.RunAsync(new DecomposeOptions
            {
                RunFolder = parse.GetValue(run)!,
                Seed = parse.GetValue(seed),
                Resamples = parse.GetValue(resamples),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
            }, ct);
            Console.WriteLine($"decompose: {result.TokenScalingPartsWritten} token_scaling parts written");
            StageClock.PrintEnd("decompose", result.Complete, result.SummaryPath);
        }, cancel));
        return command;
    }
}
