using QuantaProbe.Core.Family;
using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Inference.Export;
using QuantaProbe.Inference.Gradients;
using QuantaProbe.Inference.NeoX;

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
            var sources = (parse.GetValue(checkpoints) ?? []).Select(c => (Path: c, IsOnnx: false)).ToList();
            if (parse.GetValue(onnx) is string decoder)
                sources.Add((decoder, true));
            if (sources.Count == 0)
                throw new QuantaException("export: nothing to export; pass --checkpoint DIR (repeatable) or --onnx FILE");
            if (sources.Count > 1 && parse.GetValue(name) is not null)
                throw new QuantaException("export: --name names one model; drop it to name each model after its folder");
            var family = parse.GetValue(output)!;
            foreach (var (path, isOnnx) in sources)
            {
                ct.ThrowIfCancellationRequested();
                var modelName = parse.GetValue(name) ?? DefaultName(path, isOnnx);
                var folder = Path.Combine(family, modelName);
                var manifest = Path.Combine(family, FamilyManifest.FileName);
                if (!parse.GetValue(force) && File.Exists(Path.Combine(folder, "model.json")) && File.Exists(Path.Combine(folder, ModelExporter.LossOnnxFileName)))
                {
                    Console.WriteLine($"export: {modelName} already exported ({folder}); --force exports it again");
                    continue;
                }
                var model = isOnnx
                    ? ModelExporter.ExportOnnxDecoder(path, folder, modelName, parse.GetValue(step))
                    : ModelExporter.ExportCheckpoint(path, folder, modelName, parse.GetValue(step));
                // grad.onnx (default 16×16 sketch) needs the checkpoint's weights; an imported decoder has only a forward graph.
                string gradients = isOnnx ? "no grad.onnx (imported decoders have no backward graph)"
                    : "grad.onnx " + ModelExporter.ExportGradients(path, folder, GradientOptions.Sketch());
                FamilyManifest.AddOrUpdate(manifest, new FamilyMember(model.Name, model.ModelFolder, model.Step));
                Console.WriteLine($"export: {model.Name} (step {model.Step?.ToString() ?? "?"}, {model.Parameters:N0} parameters, "
                    + $"{model.NonEmbeddingParameters?.ToString("N0") ?? "?"} non-embedding) → {model.LossOnnxPath}, {gradients}");
            }
            return Task.CompletedTask;
        }, cancel));
        return command;
    }

    private static string DefaultName(string path, bool isOnnx)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return isOnnx ? Path.GetFileName(Path.GetDirectoryName(full)!) : Path.GetFileName(full);
    }
}
