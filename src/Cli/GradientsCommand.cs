using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Inference.Gradients;
using QuantaProbe.Inference.GradientStage;
using QuantaProbe.Inference.Selection;

namespace QuantaProbe.Cli;

internal static class GradientsCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "The run folder (after ingest, export and infer)", Required = true };
        var model = new Option<string>("--model") { Description = "The model whose per-token gradients are taken", Required = true };
        var selectModel = new Option<string?>("--select-model") { Description = "The model whose losses select the tokens (default: the family's smallest)" };
        var select = new Option<string>("--select") { Description = "low-loss (the paper's), all, random or file", DefaultValueFactory = _ => "low-loss" };
        var selectionFile = new Option<string?>("--selection-file") { Description = "With --select file: Parquet with doc_id and pos" };
        var maxLoss = new Option<double>("--max-loss") { Description = "Nats: tokens below this loss are candidates (the paper: 0.1; 1 bit = 0.693 for small models)", DefaultValueFactory = _ => 0.1 };
        var keepInduction = new Option<bool>("--keep-induction") { Description = "Keep tokens that complete a trigram seen earlier in the context" };
        var n = new Option<int>("--n") { Description = "Tokens to sample", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 0 };
        var kIn = new Option<int>("--k-in") { Description = "Sketch width on the input side of each matrix", DefaultValueFactory = _ => 16 };
        var kOut = new Option<int>("--k-out") { Description = "Sketch width on the output side of each matrix", DefaultValueFactory = _ => 16 };
        var projectionSeed = new Option<int>("--projection-seed") { Description = "Seed of the random projections", DefaultValueFactory = _ => 0 };
        var exact = new Option<bool>("--exact") { Description = "Full gradients instead of sketches (small models)" };
        var device = CommonOptions.Device();
        var batchTokens = new Option<int>("--batch-tokens") { Description = "Padded tokens per batch", DefaultValueFactory = _ => 2048 };
        var shard = StageClock.ShardOption("compute");
        var threads = new Option<int?>("--threads") { Description = "ONNX Runtime intra-op threads (default: all cores)" };

        var command = new Command("gradients", "Per-token gradient sketches of selected tokens → gradients/<model>/part-*.parquet")
        {
            run, model, selectModel, select, selectionFile, maxLoss, keepInduction, n, seed, kIn, kOut, projectionSeed, exact, device, batchTokens, shard, threads,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var options = new GradientsOptions
            {
                RunFolder = parse.GetValue(run)!,
                Model = parse.GetValue(model)!,
                SelectionModel = parse.GetValue(selectModel),
                Selection = new SelectionOptions
                {
                    Mode = ParseMode(parse.GetValue(select)!),
                    File = parse.GetValue(selectionFile),
                    MaxLoss = parse.GetValue(maxLoss),
                    ExcludeInduction = !parse.GetValue(keepInduction),
                    Count = parse.GetValue(n),
                    Seed = parse.GetValue(seed),
                },
                Gradient = parse.GetValue(exact)
                    ? GradientOptions.Exact
                    : GradientOptions.Sketch(parse.GetValue(kIn), parse.GetValue(kOut), parse.GetValue(projectionSeed)),
                Device = CommonOptions.ParseDevice(parse.GetValue(device)!),
                BatchTokens = parse.GetValue(batchTokens),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
                Threads = parse.GetValue(threads),
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

    private static SelectionMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "low-loss" or "lowloss" => SelectionMode.LowLoss,
        "all" => SelectionMode.All,
        "random" => SelectionMode.Random,
        "file" => SelectionMode.File,
        _ => throw new QuantaException($"--select {text}: expected low-loss, all, random or file"),
    };
}
