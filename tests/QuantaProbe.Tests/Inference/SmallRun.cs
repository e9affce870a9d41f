using QuantaProbe.Core.Family;
using QuantaProbe.Export;
using QuantaProbe.Ingest;

namespace QuantaProbe.Tests.Inference;

/// <summary>A run folder with 60 held-out documents ingested (64 tokens, parts of 16) and two small models exported.</summary>
internal static class SmallRun
{
    public static readonly string[] ModelNames = ["pythia8k-h32-l2-step1200", "pythia8k-h64-l2"];

    public static async Task<string> CreateAsync(TempFolder tmp, int documents = 60, int contextLength = 64)
    {
        var corpus = tmp.File("corpus.jsonl");
        File.WriteAllLines(corpus, File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(documents));
        var run = tmp.Sub("run");
        await IngestStage.RunAsync(new IngestOptions
        {
            Corpus = corpus,
            Tokenizer = SharedData.Tokenizer("pythia-8k"),
            RunFolder = run,
            ContextLength = contextLength,
            DocumentsPerPart = 16,
        });
        foreach (var name in ModelNames)
        {
            var model = ModelExporter.ExportCheckpoint(Path.Combine(SharedData.Root, "models", name), Path.Combine(run, "models", name), name);
            FamilyManifest.AddOrUpdate(Path.Combine(run, "models", FamilyManifest.FileName), new FamilyMember(model.Name, model.ModelFolder, model.Step));
        }
        return run;
    }
}
