using QuantaProbe.Core;
using QuantaProbe.Export;

namespace QuantaProbe.Tests.Inference;

/// <summary>models/pythia8k: the embedded default family is the shared one, byte for byte, and exports without a tokenizer.json.</summary>
[Trait("tier", "fast")]
public class EmbeddedModelsTests
{
    private static readonly string Embedded = Path.Combine(SharedData.RepoRoot, "models", "pythia8k");

    [Fact]
    public void Every_shared_checkpoint_is_embedded_unchanged_with_the_one_tokenizer()
    {
        var shared = Directory.GetDirectories(ModelsTableRow.ModelsRoot).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(14, shared.Count);
        Assert.Equal(shared, Directory.GetDirectories(Embedded).Select(Path.GetFileName).Order());
        string tokenizer = Sha256File.Of(Path.Combine(SharedData.RepoRoot, "models", "pythia-8k-tokenizer", "tokenizer.json"));
        foreach (var name in shared)
        {
            Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(Path.Combine(Embedded, name!)).Select(Path.GetFileName).Order());
            foreach (var file in new[] { "config.json", "model.safetensors" })
                Assert.Equal(Sha256File.Of(Path.Combine(ModelsTableRow.ModelsRoot, name!, file)), Sha256File.Of(Path.Combine(Embedded, name!, file)));
            Assert.Equal(tokenizer, Sha256File.Of(Path.Combine(ModelsTableRow.ModelsRoot, name!, "tokenizer.json")));
        }
    }

    [Fact]
    public void An_embedded_checkpoint_exports_without_a_tokenizer_json()
    {
        using var temp = new TempFolder();
        var model = ModelExporter.ExportCheckpoint(Path.Combine(Embedded, "pythia8k-h32-l2-step800"), temp.Path, "h32-step800");
        Assert.Equal(800, model.Step);
        Assert.Equal(549_760, model.Parameters);
        Assert.Equal(25_472, model.NonEmbeddingParameters);
        Assert.True(File.Exists(model.LossOnnxPath));
    }
}
