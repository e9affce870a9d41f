using System.Text;
using System.Text.Json;
using static QuantaProbe.Tests.Ingest.IngestTestKit;

namespace QuantaProbe.Tests.Ingest;

[Trait("tier", "slow")]
public class IngestFormatTests
{
    private static string JsonLine(string text, string? pileSet = null) =>
        pileSet is null ? JsonSerializer.Serialize(new { text }) : JsonSerializer.Serialize(new { text, meta = new { pile_set_name = pileSet } });

    [Fact]
    public async Task Jsonl_keeps_pile_set_name_as_source_and_empty_documents_with_zero_tokens()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.jsonl", string.Join("\n", JsonLine("Hello world", "Pile-CC"), JsonLine(""), "", JsonLine("Special <|endoftext|> token", "Github")) + "\n");
        var result = await RunAsync(corpus, tmp.Sub("run"));

        var o = await ReadAsync(Path.Combine(tmp.Path, "run"));
        Assert.Equal(3, result.Documents);
        Assert.Equal([0L, 1, 2], o.DocIds);
        Assert.Equal(["Pile-CC", "c.jsonl", "Github"], o.Sources);
        Assert.Equal([2, 0, 4], o.Counts);
        Assert.Equal([12092, 1533], IdsOf(o, 0));
        Assert.Equal(Tokenizer.Encode("Special <|endoftext|> token").ToArray(), IdsOf(o, 2));
        Assert.Equal(Enumerable.Range(0, 2).Concat(Enumerable.Range(0, 4)), o.Positions);
        Assert.True(File.Exists(Path.Combine(tmp.Path, "run", "ingest.json")));
    }

    [Fact]
    public async Task Documents_are_truncated_to_the_context_length_and_text_is_the_covered_span()
    {
        using var tmp = new TempFolder();
        var text = string.Join(" ", Enumerable.Range(0, 200).Select(i => $"word{i}"));
        var corpus = tmp.File("c.jsonl", JsonLine(text) + "\n");
        await RunAsync(corpus, tmp.Sub("run"), contextLength: 16);

        var o = await ReadAsync(Path.Combine(tmp.Path, "run"));
        var full = Tokenizer.Encode(text);
        Assert.Equal(full.Take(16), o.TokenIds);
        Assert.Equal([16], o.Counts);
        Assert.StartsWith(o.Texts[0], text, StringComparison.Ordinal);
        Assert.True(o.Texts[0].Length < text.Length);
        Assert.Equal(full.Take(16), Tokenizer.Encode(o.Texts[0]).Take(16));
    }

    [Fact]
    public async Task Zstd_jsonl_equals_plain_jsonl()
    {
        using var tmp = new TempFolder();
        var lines = File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(50).ToArray();
        var plain = tmp.File("plain/c.jsonl", string.Join("\n", lines) + "\n");
        var compressed = tmp.File("zst/c.jsonl.zst");
        File.WriteAllBytes(compressed, new ZstdSharp.Compressor(3).Wrap(File.ReadAllBytes(plain)).ToArray());

        await RunAsync(plain, tmp.Sub("a"));
        await RunAsync(compressed, tmp.Sub("b"));
        var a = await ReadAsync(Path.Combine(tmp.Path, "a"));
        var b = await ReadAsync(Path.Combine(tmp.Path, "b"));
        Assert.Equal(a.TokenIds, b.TokenIds);
        Assert.Equal(a.Texts, b.Texts);
        Assert.Equal(50, a.DocIds.Length);
    }

    [Fact]
    public async Task Txt_file_is_one_document_or_split_at_the_separator()
    {
        using var tmp = new TempFolder();
        var file = tmp.File("story.txt", "First story.\n\nSecond story.\n\nThird.");
        await RunAsync(file, tmp.Sub("whole"));
        await RunAsync(file, tmp.Sub("split"), separator: "\n\n");

        var whole = await ReadAsync(Path.Combine(tmp.Path, "whole"));
        var split = await ReadAsync(Path.Combine(tmp.Path, "split"));
        Assert.Single(whole.DocIds);
        Assert.Equal(["First story.", "Second story.", "Third."], split.Texts);
        Assert.Equal(Tokenizer.Encode("Second story.").ToArray(), IdsOf(split, 1));
    }

    [Fact]
    public async Task Folder_is_read_in_ordinal_path_order_with_relative_sources()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.Sub("corpus");
        tmp.File("corpus/b.txt", "bee");
        tmp.File("corpus/a/z.jsonl", JsonLine("zed") + "\n" + JsonLine("zed two") + "\n");
        tmp.File("corpus/ignored.md", "not a corpus file");
        await ParquetTestReader.WriteTextColumnAsync(tmp.File("corpus/c.parquet"), "text", ["see", "sea"]);
        await RunAsync(corpus, tmp.Sub("run"));

        var o = await ReadAsync(Path.Combine(tmp.Path, "run"));
        Assert.Equal(["zed", "zed two", "bee", "see", "sea"], o.Texts);
        Assert.Equal([Path.Combine("a", "z.jsonl"), Path.Combine("a", "z.jsonl"), "b.txt", "c.parquet", "c.parquet"], o.Sources);
    }

    [Fact]
    public async Task Parquet_text_column_can_be_named()
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File("c.parquet");
        await ParquetTestReader.WriteTextColumnAsync(corpus, "body", ["one", "two three"]);
        await RunAsync(corpus, tmp.Sub("run"), textColumn: "body");
        var o = await ReadAsync(Path.Combine(tmp.Path, "run"));
        Assert.Equal(["one", "two three"], o.Texts);
    }

    [Fact]
    public async Task Records_longer_than_the_read_buffer_are_read_whole()
    {
        using var tmp = new TempFolder();
        var big = new string('x', 3 << 20) + " end";
        var corpus = tmp.File("c.jsonl", JsonLine("small") + "\n" + JsonLine(big) + "\r\n" + JsonLine("after"));
        await RunAsync(corpus, tmp.Sub("run"), contextLength: 8);
        var o = await ReadAsync(Path.Combine(tmp.Path, "run"));
        Assert.Equal(3, o.DocIds.Length);
        Assert.Equal("after", o.Texts[2]);
        Assert.Equal(8, o.Counts[1]);
    }

    [Fact]
    public async Task Non_nfc_text_is_normalized_before_tokenization()
    {
        using var tmp = new TempFolder();
        var decomposed = "Cafe\u0301";
        var corpus = tmp.File("c.jsonl", JsonLine(decomposed) + "\n");
        await RunAsync(corpus, tmp.Sub("run"));
        var o = await ReadAsync(Path.Combine(tmp.Path, "run"));
        Assert.Equal(Tokenizer.Encode("Caf\u00e9").ToArray(), o.TokenIds);
        Assert.Equal("Caf\u00e9", o.Texts[0]);
        Assert.Equal(Encoding.UTF8.GetBytes("Caf\u00e9"), Encoding.UTF8.GetBytes(o.Texts[0]));
    }
}
