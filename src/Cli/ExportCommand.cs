using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Core.Hub;
using QuantaProbe.Inference.Export;

namespace QuantaProbe.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "HF GPT-NeoX checkpoint folder, or a hub name ORG/NAME[@REVISION] from the local hub cache (repeat for a family)", AllowMultipleArgumentsPerToken = true };
        var onnx = new Option<string?>("--onnx") { Description = "An existing ONNX decoder with a 'logits' output, instead of --checkpoint" };
        var name = new Option<string?>("--name") { Description = "Model name (default: the checkpoint folder's name, or NAME-REVISION for a hub name); only with one model" };
        var step = new Option<long?>("--step") { Description = "Training step (default: the hub revision's stepN, config.json's training_step or 'stepN' in the folder name)" };
        var output = new Option<string>("--out") { Description = "The family folder, RUN/models", Required = true };
        var force = new Option<bool>("--force") { Description = "Export again even where models/<name>/model.json exists" };
        var cacheDir = CommonOptions.CacheDir();

        var command = new Command("export", "Export checkpoints to ONNX (loss.onnx with the in-graph loss head, grad.onnx with per-token gradient sketches) and list them in family.json")
        {
            checkpoints, onnx, name, step, output, force, cacheDir,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(ct =>
        {
            var cache = HubCache.Locate(parse.GetValue(cacheDir));
            // Every hub name is resolved before anything is written: a missing one stops the export with its download command.
            var sources = (parse.GetValue(checkpoints) ?? [])
                .Select(c => ExportSource.Checkpoint(HubLocator.Checkpoint(c, baseFolder: null, cache))).ToList();
            if (parse.GetValue(onnx) is string decoder)
                sources.Add(new ExportSource(decoder, IsOnnxDecoder: true));
            if (sources.Count == 0)
                throw new QuantaException("export: nothing to export; pass --checkpoint DIR|ORG/NAME[@REVISION] (repeatable) or --onnx FILE");
            if (sources.Count > 1 && parse.GetValue(name) is not null)
                throw new QuantaException("export: --name names one model; drop it to name each model after its folder");
            sources = sources.Select(s => s with { Name = parse.GetValue(name) ?? s.Name, Step = parse.GetValue(step) ?? s.Step }).ToList();
            string family = parse.GetValue(output)!;
            foreach (var outcome in FamilyExport.Run(family, sources, parse.GetValue(force), ct))
                Console.WriteLine(Describe(outcome));
            foreach (var same in DuplicateWeights.InFamily(family))
                Console.Error.WriteLine(same.Warning);
            return Task.CompletedTask;
        }, cancel));
        return command;
    }

    public static string Describe(ExportOutcome outcome)
    {
        string origin = outcome.Source.Hub is { } hub ? $" from {hub.Reference} (commit {hub.Commit})" : "";
        if (outcome.Model is not { } model)
            return $"export: {outcome.Source.ModelName}{origin} {outcome.Detail}; --force exports it again";
        return $"export: {model.Name}{origin} (step {model.Step?.ToString() ?? "?"}, {model.Parameters:N0} parameters, "
            + $"{model.NonEmbeddingParameters?.ToString("N0") ?? "?"} non-embedding) → {model.LossOnnxPath}, {outcome.Detail}";
    }
}
