using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Options;
using QuantaProbe.Export;
using S = QuantaProbe.Export.ExportOptions.Settings;

namespace QuantaProbe.Cli;

internal static class ExportCommand
{
    public static Command Create()
    {
        var settings = new CliSettings(S.All);
        var command = settings.Command("export", "Export checkpoints to ONNX (loss.onnx with the in-graph loss head, grad.onnx with per-token gradient sketches) and list them in family.json");
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(ct =>
        {
            var given = settings.Read(parse);
            var cache = HubCache.Locate(given.Get(RunLevelSettings.CacheDir));
            // Every hub name is resolved before anything is written: a missing one stops the export with its download command.
            var sources = given.Get(S.Checkpoint)
                .Select(c => ExportSource.Checkpoint(HubLocator.Checkpoint(c, baseFolder: null, cache))).ToList();
            if (given.Get(S.Onnx) is string decoder)
                sources.Add(new ExportSource(decoder, IsOnnxDecoder: true));
            if (sources.Count == 0)
                throw new QuantaException("export: nothing to export; pass --checkpoint DIR|ORG/NAME[@REVISION] (repeatable) or --onnx FILE");
            string? name = given.Get(S.Name);
            if (sources.Count > 1 && name is not null)
                throw new QuantaException("export: --name names one model; drop it to name each model after its folder");
            sources = sources.Select(s => s with { Name = name ?? s.Name, Step = given.Get(S.Step) ?? s.Step }).ToList();
            string family = given.Get(S.Out)!;
            foreach (var outcome in FamilyExport.Run(family, sources, given.Get(S.Force), ct))
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
