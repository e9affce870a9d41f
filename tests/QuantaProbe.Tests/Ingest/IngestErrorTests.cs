using System.Text.Json;
using QuantaProbe.Core;
using static QuantaProbe.Tests.Ingest.IngestTestKit;

namespace QuantaProbe.Tests.Ingest;

/// <summary>Bad input: one clear line naming the file (and line), and nothing that looks complete.</summary>
[Trait("tier", "fast")]
public class IngestErrorTests
{
    private static async Task<QuantaException> FailsAsync(string corpus, TempFolder tmp, string expectedInMessage, int docsPerPart = 4096, string? tokenizer = null)
    {
        var run = Path.Combine(tmp.Path, "run");
        var e = await Assert.ThrowsAsync<QuantaException>(() => tokenizer is null
            ? RunAsync(corpus, run, docsPerPart)
            : QuantaProbe.Ingest.IngestStage.RunAsync(new QuantaProbe.Ingest.IngestOptions { Corpus = corpus, Tokenizer = tokenizer, RunFolder = run }));
        Assert.Contains(expectedInMessage, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(Path.Combine(run, "ingest.json")));
        AssertNoTemporaries(run);
        return e;
    }

    private static string Line(string text) => JsonSerializer.Serialize(new { text });

    [Fact]
    public Task Missing_corpus() => FailsAsync("/nonexistent/corpus.jsonl", new TempFolder(), "/nonexistent/corpus.jsonl: corpus not found");

    [Fact]
    public async Task Line_that_is_not_json_names_file_and_line()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", Line("ok") + "\n" + Line("ok") + "\n{\"text\": oops}\n" + Line("never"));
        await FailsAsync(corpus, tmp, $"{corpus}:3: not valid JSON");
    }

    [Fact]
    public async Task Line_without_text_names_file_and_line()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", Line("ok") + "\n{\"body\": \"x\"}\n");
        await FailsAsync(corpus, tmp, $"{corpus}:2: no \"text\" string");
    }

    [Fact]
    public async Task Invalid_utf8_names_file_and_line()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.txt");
        File.WriteAllBytes(corpus, [.. "line one\nline two\nbad "u8, 0xC3, 0x28, .. "\n"u8]);
        await FailsAsync(corpus, tmp, $"{corpus}:3: invalid UTF-8");
    }

    [Fact]
    public async Task Truncated_zst_names_file()
    {
        using var tmp = new TempFolder();
        var lines = string.Join("\n", Enumerable.Range(0, 2000).Select(i => Line($"document number {i} " + new string('z', i % 50)))) + "\n";
        var bytes = new ZstdSharp.Compressor(3).Wrap(System.Text.Encoding.UTF8.GetBytes(lines)).ToArray();
        var corpus = tmp.File("c.jsonl.zst");
        File.WriteAllBytes(corpus, bytes[..(bytes.Length / 2)]);
        await FailsAsync(corpus, tmp, $"{corpus}: truncated compressed stream");
    }

    [Fact]
    public async Task Empty_corpus()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", "\n  \n");
        await FailsAsync(corpus, tmp, $"{corpus}: the corpus holds no documents");
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "run", "tokens")) && Directory.EnumerateFiles(Path.Combine(tmp.Path, "run", "tokens")).Any());
    }

    [Fact]
    public async Task Folder_without_corpus_files()
    {
        using var tmp = new TempFolder();
        tmp.File("corpus/readme.md", "nothing here");
        await FailsAsync(Path.Combine(tmp.Path, "corpus"), tmp, "folder holds no .txt, .jsonl, .jsonl.zst or .parquet files");
    }

    [Fact]
    public async Task Tokenizer_that_is_not_bpe()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", Line("hello") + "\n");
        var tokenizer = tmp.File("wordpiece.json", """{"model": {"type": "WordPiece", "vocab": {"a": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}}""");
        await FailsAsync(corpus, tmp, $"{tokenizer}: model type is \"WordPiece\", not \"BPE\"", tokenizer: tokenizer);
    }

    [Fact]
    public async Task Tokenizer_that_is_not_json()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", Line("hello") + "\n");
        var tokenizer = tmp.File("tokenizer.json", "not json at all");
        await FailsAsync(corpus, tmp, $"{tokenizer}: not a valid JSON tokenizer file", tokenizer: tokenizer);
    }

    [Fact]
    public async Task Error_after_complete_parts_keeps_them_and_writes_nothing_else()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", string.Join("\n", Line("a"), Line("b"), Line("c"), "not json", Line("e")) + "\n");
        await FailsAsync(corpus, tmp, $"{corpus}:4:", docsPerPart: 2);
        var run = Path.Combine(tmp.Path, "run");
        Assert.Equal(["part-00000.parquet"], Directory.GetFiles(Path.Combine(run, "tokens")).Select(Path.GetFileName));
        Assert.Equal(["part-00000.parquet"], Directory.GetFiles(Path.Combine(run, "documents")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Resume_with_other_settings_is_refused()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", Line("hello world") + "\n");
        var run = tmp.Sub("run");
        await RunAsync(corpus, run, contextLength: 1024);
        var e = await Assert.ThrowsAsync<QuantaException>(() => RunAsync(corpus, run, contextLength: 512));
        Assert.Contains("quanta.context_length=1024, this run has 512", e.Message);
    }
}
