namespace QuantaProbe.Tests;

/// <summary>The `quanta` command as a user runs it: exit codes and one-line errors.</summary>
[Trait("tier", "slow")]
public class CliTests
{
    private static (int Code, string Out, string Err) Quanta(params string[] args) => QuantaProcess.Run(args);

    [Fact]
    public void Missing_corpus_is_one_line_and_exit_1()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Quanta("ingest", "--corpus", "/nonexistent.jsonl", "--tokenizer", SharedData.Tokenizer("pythia-8k"), "--out", tmp.Path);
        Assert.Equal(1, code);
        Assert.Equal("error: /nonexistent.jsonl: corpus not found; pass an existing file or folder with --corpus", err.Trim());
    }

    [Theory]
    [InlineData("--widths", "8,x")]
    [InlineData("--k", "0")]
    [InlineData("--lr", "0")]
    public void Toy_with_bad_settings_is_one_line_and_exit_1(string option, string value)
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Quanta("toy", "sparse-parity", "--out", tmp.Path, option, value);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains(option, err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Toy_says_when_there_are_too_many_subtasks_for_the_bits()
    {
        using var tmp = new TempFolder();
        string[] tiny = ["toy", "sparse-parity", "--out", tmp.Path, "--k", "3", "--widths", "4", "--steps", "5", "--batch", "8", "--samples", "40"];
        var (code, output, err) = Quanta([.. tiny, "--tasks", "12", "--n", "6"]);
        Assert.True(code == 0, err);
        Assert.Contains("toy: some subtasks share 2 bits (too many subtasks for --n 6); their gradients may look alike: raise --n or lower --tasks", output);

        using var roomy = new TempFolder();
        (code, output, err) = Quanta([.. tiny[..3], roomy.Path, .. tiny[4..], "--tasks", "4", "--n", "12"]);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("share", output);
    }

    [Theory]
    [InlineData("--top-p", "0")]
    [InlineData("--top-p", "1.5")]
    [InlineData("--temperature", "0")]
    [InlineData("--temperature", "-1")]
    [InlineData("--documents", "0")]
    [InlineData("--model", "/nonexistent-model")]
    public void Sample_with_bad_settings_is_one_line_and_exit_1(string option, string value)
    {
        using var tmp = new TempFolder();
        string[] defaults = ["--model", Path.Combine(SharedData.RepoRoot, "models", "pythia8k", "pythia8k-h32-l2-step1200"),
            "--tokenizer", Path.Combine(SharedData.RepoRoot, "models", "pythia-8k-tokenizer", "tokenizer.json"), "--out", Path.Combine(tmp.Path, "out.jsonl")];
        int at = Array.IndexOf(defaults, option);
        string[] args = at >= 0 ? [.. defaults[..(at + 1)], value, .. defaults[(at + 2)..]] : [.. defaults, option, value];
        var (code, _, err) = Quanta(["sample", .. args]);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains(option == "--model" ? value : option, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Sample_writes_the_corpus_and_reports_tokens_per_second()
    {
        using var tmp = new TempFolder();
        var output = Path.Combine(tmp.Path, "sampled.jsonl");
        var (code, stdout, err) = Quanta("sample", "--model", Path.Combine(SharedData.RepoRoot, "models", "pythia8k", "pythia8k-h32-l2-step1200"),
            "--tokenizer", Path.Combine(SharedData.RepoRoot, "models", "pythia-8k-tokenizer", "tokenizer.json"),
            "--documents", "3", "--max-tokens", "8", "--seed", "3", "--out", output);
        Assert.True(code == 0, err);
        Assert.Contains("sample: 3 documents from pythia8k-h32-l2-step1200", stdout);
        Assert.Contains("tokens/s", stdout);
        Assert.Equal(3, File.ReadAllLines(output).Length);
    }

    /// <summary>data/demo-corpus.jsonl is what the command in data/SOURCE.md writes: its first documents, regenerated, are the same bytes.</summary>
    [Fact]
    public void Demo_corpus_is_what_its_documented_sample_command_generates()
    {
        var corpus = Path.Combine(SharedData.RepoRoot, "data", "demo-corpus.jsonl");
        var command = File.ReadLines(Path.Combine(SharedData.RepoRoot, "data", "SOURCE.md")).Single(l => l.Contains(" -- sample "));
        var args = command[(command.IndexOf(" -- sample ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        int documents = int.Parse(args[args.IndexOf("--documents") + 1], System.Globalization.CultureInfo.InvariantCulture);
        var lines = File.ReadAllLines(corpus);
        Assert.Equal(documents, lines.Length);
        Assert.InRange(new FileInfo(corpus).Length, 100_000, 1_500_000);
        foreach (var line in lines)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            Assert.Equal("sampled/pythia8k-h128-l4-step1200", doc.RootElement.GetProperty("meta").GetProperty("source").GetString());
            Assert.DoesNotContain("<|endoftext|>", doc.RootElement.GetProperty("text").GetString());
        }

        using var tmp = new TempFolder();
        args[args.IndexOf("--documents") + 1] = "2";
        args[args.IndexOf("--out") + 1] = Path.Combine(tmp.Path, "first.jsonl");
        for (int i = 0; i < args.Count; i++)
            if (args[i].StartsWith("models/", StringComparison.Ordinal))
                args[i] = Path.Combine(SharedData.RepoRoot, args[i]);
        var (code, _, err) = Quanta([.. args]);
        Assert.True(code == 0, err);
        Assert.Equal(lines[..2], File.ReadAllLines(Path.Combine(tmp.Path, "first.jsonl")));
    }

    [Fact]
    public void Infer_without_ingest_says_what_to_run()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Quanta("infer", "--run", tmp.Path);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains("run `quanta ingest", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Export_of_a_missing_checkpoint_fails_cleanly_without_a_family_entry()
    {
        using var tmp = new TempFolder();
        var (code, _, err) = Quanta("export", "--checkpoint", Path.Combine(tmp.Path, "nothing"), "--out", Path.Combine(tmp.Path, "models"));
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "models", "family.json")));
    }

    [Fact]
    public void Ingest_then_export_then_infer_then_gradients_end_to_end()
    {
        using var tmp = new TempFolder();
        var run = Path.Combine(tmp.Path, "run");
        var corpus = Path.Combine(SharedData.RepoRoot, "data", "demo-corpus.jsonl");
        var tokenizer = Path.Combine(SharedData.RepoRoot, "models", "pythia-8k-tokenizer", "tokenizer.json");
        Assert.Equal(0, Quanta("ingest", "--corpus", corpus, "--tokenizer", tokenizer, "--out", run).Code);
        var export = Quanta("export", "--checkpoint", Path.Combine(SharedData.Root, "models", "pythia8k-h32-l2-step1200"), "--out", Path.Combine(run, "models"));
        Assert.Equal(0, export.Code);
        Assert.Contains("549,760 parameters", export.Out);
        var infer = Quanta("infer", "--run", run);
        Assert.Equal(0, infer.Code);
        Assert.Contains("infer complete", infer.Out);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "losses", "model=" + "pythia8k-h32-l2-step1200"), "part-*.parquet"));

        var gradients = Quanta("gradients", "--run", run, "--model", "pythia8k-h32-l2-step1200", "--max-loss", "0.693", "--n", "40");
        Assert.Equal(0, gradients.Code);
        Assert.Contains("gradients complete", gradients.Out);
        var gradientParts = Directory.GetFiles(Path.Combine(run, "gradients", "model=" + "pythia8k-h32-l2-step1200"), "part-*.parquet");
        Assert.NotEmpty(gradientParts);
        var again = Quanta("gradients", "--run", run, "--model", "pythia8k-h32-l2-step1200", "--max-loss", "0.693", "--n", "40");
        Assert.Equal(0, again.Code);
        Assert.Contains("0 parts written", again.Out);
        var badSelect = Quanta("gradients", "--run", run, "--model", "pythia8k-h32-l2-step1200", "--select", "best");
        Assert.Equal(1, badSelect.Code);
        Assert.Single(badSelect.Err.Trim().Split('\n'));

        // This build has the CPU runtime only: --device cuda must say so, not fall back silently.
        Directory.Delete(Path.Combine(run, "losses"), recursive: true);
        var cuda = Quanta("infer", "--run", run, "--device", "cuda");
        Assert.Equal(1, cuda.Code);
        Assert.Contains("CUDA", cuda.Err);
        Assert.Single(cuda.Err.Trim().Split('\n'));
        Assert.Empty(Directory.Exists(Path.Combine(run, "losses")) ? Directory.GetFiles(Path.Combine(run, "losses"), "*", SearchOption.AllDirectories) : []);
    }
}
