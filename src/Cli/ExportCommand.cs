using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Inference.Export;

namespace QuantaProbe.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoints = new Option<string[]>("--checkpoint") { Description = "HF GPT-NeoX checkpoint folder (repeat for a family)", AllowMultipleArgumentsPerToken = true };
        var onnx = new Option<string?>("--onnx") { Description = "An existing ONNX decoder with a 'logits' output, instead of --checkpoint" };
        var name = new Option<string?>("--name") { Description = "Model name (default: the checkpoint folder's name); only with one model" };
        var step = new Option<long?>("--step") { Description = "Training step (default: config.json's training_step or 'stepN' in the folder name)" };
        var output = new Option<string>("--out") { Description = "The family folder, RUN/models", Required = true };
        var force = new Option<bool>("--force") { Description = "Export again even where models/<name>/model.json exists" };

        var command = new Command("export", "Export checkpoints to ONNX (loss.onnx with the in-graph loss head, grad.onnx with per-token gradient sketches) and list them in family.json")
        {
            checkpoints, onnx, name, step, output, force,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(ct =>
        {
            var sources = (parse.GetValue(checkpoints) ?? []).Select(c => new ExportSource(c)).ToList();
            if (parse.GetValue(onnx) is string decoder)
                sources.Add(new ExportSource(decoder, IsOnnxDecoder: true));
            if (sources.Count == 0)
                throw new QuantaException("export: nothing to export; pass --checkpoint DIR (repeatable) or --onnx FILE");
            if (sources.Count > 1 && parse.GetValue(name) is not null)
                throw new QuantaException("export: --name names one model; drop it to name each model after its folder");
            sources = sources.Select(s => s with { Name = parse.GetValue(name), Step = parse.GetValue(step) }).ToList();
            foreach (var outcome in FamilyExport.Run(parse.GetValue(output)!, sources, parse.GetValue(force), ct))
                Console.WriteLine(Describe(outcome));
            return Task.CompletedTask;
        }, cancel));
        return command;
    }

    public static string Describe(ExportOutcome outcome)
    {
        if (outcome.Model is not { } model)
            return $"export: {outcome.Source.ModelName} {outcome.Detail}; --force exports it again";
        return $"export: {model.Name} (step {model.Step?.ToString() ?? "?"}, {model.Parameters:N0} parameters, "
            + $"{model.NonEmbeddingParameters?.ToString("N0") ?? "?"} non-embedding) → {model.LossOnnxPath}, {outcome.Detail}";
    }
}
