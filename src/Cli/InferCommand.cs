using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Inference.Infer;
using QuantaProbe.Inference.Runtime;

namespace QuantaProbe.Cli;

internal static class InferCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder (after ingest and export)", Required = true };
        var models = new Option<string?>("--models") { Description = "Comma-separated model names (default: the whole family)" };
        var device = CommonOptions.Device();
        var batchTokens = new Option<int>("--batch-tokens") { Description = "Padded tokens per batch (the [batch, length, vocab] logits live inside ONNX Runtime: raise it on a GPU)", DefaultValueFactory = _ => 2048 };
        var shard = StageClock.ShardOption("score");
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: all cores)" };

        var command = new Command("infer", "Per-token losses of every model over tokens/ → losses/<model>/part-*.parquet")
        {
            run, models, device, batchTokens, shard, threads,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var options = new InferOptions
            {
                RunFolder = parse.GetValue(run)!,
                Models = parse.GetValue(models)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Device = CommonOptions.ParseDevice(parse.GetValue(device)!),
                BatchTokens = parse.GetValue(batchTokens),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
                Threads = parse.GetValue(threads),
            };
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("infer", report =>
                InferStage.RunAsync(options, new Progress<InferProgress>(p => report(p.TokensDone, p.TokensTotal,
                    $"{p.Model}: {p.TokensDone:N0}/{p.TokensTotal:N0} tokens, {clock.Rate(p.TokensDone)}")), ct));
            Console.WriteLine($"infer: {result.Models.Count} models, {result.PartsWritten} parts written ({result.TokensScored:N0} losses, "
                + $"{clock.Rate(result.TokensScored)}), {result.PartsSkipped} already complete");
            StageClock.PrintEnd("infer", result.Complete, Path.Combine(options.RunFolder, "losses"));
        }, cancel));
        return command;
    }
}
