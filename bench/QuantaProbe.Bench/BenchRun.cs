using System.Text.Json;
using QuantaProbe.Core.Family;
using QuantaProbe.Export;
using QuantaProbe.Infer;
using QuantaProbe.Ingest;

namespace QuantaProbe.Bench;

/// <summary>A run folder made from the first documents of a shared corpus and one exported, inferred model.</summary>
internal static class BenchRun
{
    public static async Task<string> PrepareAsync(string shared, string work, string checkpoint, int documents, int contextLength)
    {
        var run = Path.Combine(work, "run");
        var corpus = Path.Combine(work, "corpus.jsonl");
        File.WriteAllLines(corpus, File.ReadLines(Path.Combine(shared, "corpora", "mixed-heldout.jsonl")).Take(documents));
        await IngestStage.RunAsync(new IngestOptions { Corpus = corpus, Tokenizer = Path.Combine(checkpoint, "tokenizer.json"), RunFolder = run, ContextLength = contextLength });
        string name = Path.GetFileName(checkpoint);
        var model = ModelExporter.ExportCheckpoint(checkpoint, Path.Combine(run, "models", name), name);
        FamilyManifest.AddOrUpdate(Path.Combine(run, "models", FamilyManifest.FileName), new FamilyMember(model.Name, model.ModelFolder, model.Step));
        await InferStage.RunAsync(new InferOptions { RunFolder = run });
        return run;
    }

    /// <summary>The shared family's largest checkpoint (by weights), its latest training step.</summary>
    public static string LargestModel(string models) =>
        Directory.GetDirectories(models)
            .Where(d => File.Exists(Path.Combine(d, "model.safetensors")) && File.Exists(Path.Combine(d, "tokenizer.json")))
            .OrderByDescending(d => new FileInfo(Path.Combine(d, "model.safetensors")).Length)
            .ThenByDescending(d =>
            {
                using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(d, "config.json")));
                return config.RootElement.TryGetProperty("training_step", out var s) ? s.GetInt64() : 0;
            })
            .First();
}
