using System.Text.Json;
using QuantaProbe.Export;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Ingest.Tokenization;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "slow")]
public class RealModelTests(ITestOutputHelper output)
{
    public static TheoryData<string> TableModels() => new(ModelsTableRow.Load().Select(r => r.Model));

    [Fact]
    public void Models_table_lists_every_model_folder()
    {
        var folders = Directory.GetDirectories(ModelsTableRow.ModelsRoot).Select(Path.GetFileName).Order();
        Assert.Equal(folders, ModelsTableRow.Load().Select(r => r.Model).Order());
    }

    [Theory]
    [MemberData(nameof(TableModels))]
    public void Parameter_counts_from_weights_equal_models_table(string model)
    {
        var row = ModelsTableRow.Load().Single(r => r.Model == model);
        using var checkpoint = NeoXCheckpoint.Open(Path.Combine(ModelsTableRow.ModelsRoot, model));
        var (total, nonEmbedding) = checkpoint.CountParameters();
        Assert.Equal(row.Parameters, total);
        Assert.Equal(row.NonEmbedding, nonEmbedding);
        Assert.Equal(row.Step, checkpoint.Config.TrainingStep);
    }

    [Fact]
    public void Pythia8k_h64_l2_mean_loss_on_heldout_documents_is_sane()
    {
        var losses = HeldoutLosses("pythia8k-h64-l2", documents: 16, batchSize: 16);
        double mean = losses.Average(l => (double)l);
        output.WriteLine($"mean loss {mean:F4} nats over {losses.Length} tokens of 16 documents");
        Assert.All(losses, l => Assert.True(float.IsFinite(l) && l >= 0, $"loss {l}"));
        Assert.InRange(mean, 3.5, 6.0);
    }

    /// <summary>End to end against the README's independent figure: 300 documents, 256 tokens each.</summary>
    [Fact]
    public void Pythia8k_h64_l2_heldout_mean_loss_matches_models_table()
    {
        var row = ModelsTableRow.Load().Single(r => r.Model == "pythia8k-h64-l2");
        var losses = HeldoutLosses(row.Model, documents: 300, batchSize: 16);
        double mean = losses.Average(l => (double)l);
        output.WriteLine($"mean loss {mean:F4} nats over {losses.Length} tokens (table: {row.MeanLoss:F4})");
        Assert.Equal(35_676, losses.Length);
        Assert.InRange(mean, row.MeanLoss - 1e-3, row.MeanLoss + 1e-3);
    }

    private static float[] HeldoutLosses(string model, int documents, int batchSize)
    {
        string folder = Path.Combine(ModelsTableRow.ModelsRoot, model);
        var tokenizer = HfTokenizer.Load(Path.Combine(folder, "tokenizer.json"));
        var sequences = File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(documents)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
            .Select(text => (ReadOnlyMemory<int>)tokenizer.Encode(text).Take(256).ToArray())
            .ToList();

        using var temp = new TempFolder();
        var exported = ModelExporter.ExportCheckpoint(folder, temp.Path, model);
        using var runner = LossRunner.Open(exported.ModelFolder);
        return sequences.Chunk(batchSize).SelectMany(batch => runner.Run(batch)).SelectMany(r => r.Loss).ToArray();
    }
}
