using QuantaProbe.Core.Family;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Ingest;

namespace QuantaProbe.Tests.Report;

/// <summary>
/// One small real run through decompose, shared by the report tests: 40 held-out documents, each opened by
/// hostile text (a script tag and newlines) so every token context shows it; two sizes; 48 random gradients.
/// </summary>
public sealed class ReportRun : IAsyncLifetime
{
    public const string Hostile = "<script>alert('x')</script>\n<b>&amp;\n";
    public static readonly string[] Models = ["pythia8k-h32-l2-step1200", "pythia8k-h64-l2"];
    private readonly TempFolder _tmp = new();

    public string Folder => Path.Combine(_tmp.Path, "run");

    public async Task InitializeAsync()
    {
        var corpus = _tmp.File("corpus.jsonl");
        File.WriteAllLines(corpus, File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(40)
            .Select(line => System.Text.Json.JsonSerializer.Serialize(new { text = Hostile + System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString() })));
        await IngestStage.RunAsync(new IngestOptions { Corpus = corpus, Tokenizer = SharedData.Tokenizer("pythia-8k"), RunFolder = Folder, ContextLength = 48, DocumentsPerPart = 16 });
        foreach (var name in Models)
        {
            var model = ModelExporter.ExportCheckpoint(Path.Combine(SharedData.Root, "models", name), Path.Combine(Folder, "models", name), name);
            FamilyManifest.AddOrUpdate(Path.Combine(Folder, "models", FamilyManifest.FileName), new FamilyMember(model.Name, model.ModelFolder, model.Step));
        }
        await InferStage.RunAsync(new InferOptions { RunFolder = Folder });
        await GradientsStage.RunAsync(new GradientsOptions
        {
            RunFolder = Folder, Model = Models[0], Gradient = GradientOptions.Sketch(8, 8),
            Selection = new SelectionOptions { Mode = SelectionMode.Random, Count = 48, Seed = 1 },
        });
        await DecomposeStage.RunAsync(Decompose(Folder));
    }

    public static DecomposeOptions Decompose(string folder) =>
        new() { RunFolder = folder, Resamples = 50, Qdg = new QdgOptions { Ks = [3, 6], ReferenceK = 6, Resamples = 30 } };

    /// <summary>A copy of the run (to change without disturbing the other tests).</summary>
    internal string CopyTo(TempFolder target)
    {
        var copy = target.Sub("run");
        foreach (var file in Directory.GetFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(copy, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return copy;
    }

    public Task DisposeAsync()
    {
        _tmp.Dispose();
        return Task.CompletedTask;
    }
}
