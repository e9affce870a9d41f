using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Ingest;
using QuantaProbe.Sampling;

namespace QuantaProbe.Tests.Sampling;

/// <summary>quanta sample on the smallest embedded model: deterministic, batched, ingestible.</summary>
[Trait("tier", "fast")]
public class SampleStageTests
{
    internal static string EmbeddedModel(string name) => Path.Combine(SharedData.RepoRoot, "models", "pythia8k", name);
    internal static string Tokenizer => Path.Combine(SharedData.RepoRoot, "models", "pythia-8k-tokenizer", "tokenizer.json");

    private static SampleOptions Options(string output) => new()
    {
        Model = EmbeddedModel("pythia8k-h32-l2-step1200"),
        Tokenizer = Tokenizer,
        Output = output,
        Documents = 10,
        MaxTokens = 24,
        Temperature = 0.9,
        TopP = 0.95,
        Seed = 5,
        BatchSize = 4,
        Threads = 1,
    };

    [Fact]
    public void Same_seed_gives_the_same_bytes_another_seed_other_text()
    {
        using var temp = new TempFolder();
        var options = Options(temp.File("a.jsonl"));
        var result = SampleStage.Run(options);
        SampleStage.Run(options with { Output = temp.File("b.jsonl") });
        SampleStage.Run(options with { Output = temp.File("c.jsonl"), Seed = 6 });
        Assert.Equal(File.ReadAllBytes(temp.File("a.jsonl")), File.ReadAllBytes(temp.File("b.jsonl")));
        Assert.NotEqual(File.ReadAllBytes(temp.File("a.jsonl")), File.ReadAllBytes(temp.File("c.jsonl")));
        Assert.Equal(10, result.Documents);
        Assert.Equal(new FileInfo(temp.File("a.jsonl")).Length, result.Bytes);
        Assert.InRange(result.Tokens, 1, 10 * 24);
        Assert.Equal("sampled/pythia8k-h32-l2-step1200", result.Source);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(temp.Path, ".*")));
    }

    [Fact]
    public void A_document_does_not_depend_on_the_batch_it_was_generated_in()
    {
        using var temp = new TempFolder();
        var options = Options(temp.File("batched.jsonl"));
        SampleStage.Run(options);
        SampleStage.Run(options with { Output = temp.File("single.jsonl"), BatchSize = 1, Threads = 2 });
        SampleStage.Run(options with { Output = temp.File("first3.jsonl"), Documents = 3, BatchSize = 10 });
        var batched = File.ReadAllLines(temp.File("batched.jsonl"));
        Assert.Equal(batched, File.ReadAllLines(temp.File("single.jsonl")));
        Assert.Equal(batched[..3], File.ReadAllLines(temp.File("first3.jsonl")));
        Assert.True(batched.Distinct().Count() > 5, "documents of one run should differ");
    }

    [Fact]
    public async Task Output_is_json_lines_that_ingest_reads_with_the_sampled_source()
    {
        using var temp = new TempFolder();
        var options = Options(temp.File("corpus.jsonl")) with { Prompt = "Once upon a time", MaxTokens = 16 };
        var result = SampleStage.Run(options);

        var lines = File.ReadAllLines(options.Output);
        Assert.Equal(10, lines.Length);
        var tokenizer = QuantaProbe.Ingest.Tokenization.HfTokenizer.Load(Tokenizer);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            string text = doc.RootElement.GetProperty("text").GetString()!;
            Assert.StartsWith("Once upon a time", text);
            Assert.DoesNotContain("<|endoftext|>", text);
            Assert.Equal("sampled/pythia8k-h32-l2-step1200", doc.RootElement.GetProperty("meta").GetProperty("source").GetString());
            // The prompt's 4 tokens and at most 16 more (re-tokenizing may merge across the seam, never add many).
            Assert.InRange(tokenizer.Encode(text).Count, 4, 4 + 16 + 2);
        }

        var ingest = await IngestStage.RunAsync(new IngestOptions { Corpus = options.Output, Tokenizer = Tokenizer, RunFolder = temp.Sub("run") });
        Assert.Equal(10, ingest.Documents);
        var sources = await ParquetTestReader.StringColumnAsync(Path.Combine(temp.Path, "run", "documents"), "source");
        Assert.Equal(["sampled/pythia8k-h32-l2-step1200"], sources.Distinct());
    }

    [Fact]
    public void An_exported_model_folder_with_next_onnx_samples_the_same_as_its_checkpoint()
    {
        using var temp = new TempFolder();
        var options = Options(temp.File("from-checkpoint.jsonl")) with { Documents = 3 };
        SampleStage.Run(options);
        string folder = temp.Sub("models/h32");
        QuantaProbe.Models.Architectures.ModelGraphExport.ExportNextLogits(options.Model, folder);
        var fromFolder = SampleStage.Run(options with { Model = folder, Output = temp.File("from-folder.jsonl") });
        Assert.Equal("h32", fromFolder.ModelName);
        Assert.Equal(
            File.ReadAllLines(temp.File("from-checkpoint.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()),
            File.ReadAllLines(temp.File("from-folder.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()));
    }

    [Theory]
    [InlineData("model", "no such folder")]
    [InlineData("documents", "--documents")]
    [InlineData("max-tokens", "--max-tokens")]
    [InlineData("batch", "--batch")]
    [InlineData("out", "--out")]
    [InlineData("tokenizer", "has 50,")]
    [InlineData("not-a-model", "neither next.onnx nor config.json")]
    public void Bad_inputs_are_one_line_errors_and_write_nothing(string what, string expected)
    {
        using var temp = new TempFolder();
        var options = Options(temp.File("out.jsonl"));
        options = what switch
        {
            "model" => options with { Model = Path.Combine(temp.Path, "no such folder") },
            "documents" => options with { Documents = 0 },
            "max-tokens" => options with { MaxTokens = 0 },
            "batch" => options with { BatchSize = 0 },
            "out" => options with { Output = temp.File("out.txt") },
            "tokenizer" => options with { Tokenizer = SharedData.Tokenizer("gpt-neox-20b") },
            "not-a-model" => options with { Model = temp.Sub("empty") },
            _ => throw new ArgumentException(what),
        };
        var e = Assert.Throws<QuantaException>(() => SampleStage.Run(options));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories));
    }
    [Fact]
    public void A_checkpoint_with_nan_weights_is_an_error_naming_it_not_a_corpus_of_one_token()
    {
        // A diverged checkpoint: one row of the unembedding is NaN, so that token's logit is NaN at every step.
        using var temp = new TempFolder();
        var checkpoint = temp.Sub("diverged");
        var source = EmbeddedModel("pythia8k-h32-l2-step1200");
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(checkpoint, Path.GetFileName(file)));
        Hostile.SafetensorsLayout.Edit(Path.Combine(checkpoint, "model.safetensors"), layout =>
        {
            var (begin, _) = layout.Offsets("embed_out.weight");
            int row = 100 * 32 * 2;   // F16 [8192, 32]: token 100's row
            for (int j = 0; j < 32; j++)
                (layout.Data[begin + row + 2 * j], layout.Data[begin + row + 2 * j + 1]) = (0x00, 0x7E);   // F16 NaN
        });
        var options = Options(temp.File("out.jsonl")) with { Model = checkpoint, Documents = 2 };
        var e = Assert.Throws<QuantaException>(() => SampleStage.Run(options));
        // Export reads the weights first and names the tensor; the sampler's own check covers logits that overflow at run time.
        Assert.StartsWith(Path.Combine(checkpoint, "model.safetensors") + ": tensor 'embed_out.weight' holds a non-finite value", e.Message);
        Assert.False(File.Exists(options.Output));
    }
}
