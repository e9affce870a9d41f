using System.Text;

namespace QuantaProbe.Tests.Hostile;

/// <summary>Broken corpora, through `quanta ingest`.</summary>
internal static class CorpusCases
{
    private static readonly byte[] GoodLine = "{\"text\": \"a good line\"}\n"u8.ToArray();

    public static readonly HostileCase[] All =
    [
        Bytes("corpus: invalid UTF-8 in .jsonl", "c.jsonl", [.. GoodLine, .. "{\"text\": \"bad "u8, 0xC3, 0x28, .. " byte\"}\n"u8], ":2: invalid UTF-8"),
        Bytes("corpus: invalid UTF-8 in .txt", "c.txt", [.. "line one\nline "u8, 0xFF, 0xFE, .. "\n"u8], ":2: invalid UTF-8"),
        Bytes("corpus: raw NUL bytes breaking a JSON line", "c.jsonl", [.. GoodLine, .. "{\"text\": \"a\0b\"}\n"u8], ":2: not valid JSON"),
        Bytes("corpus: binary garbage as .jsonl", "c.jsonl", OnnxCases.RandomBytes(5000, seed: 4), "c.jsonl:"),
        Bytes("corpus: empty file", "c.jsonl", [], "holds no documents"),
        Bytes("corpus: a byte-order mark on line 2", "c.jsonl", [.. GoodLine, 0xEF, 0xBB, 0xBF, .. GoodLine], ":2: the line starts with a UTF-8 byte-order mark"),
        // Its parts are complete (the check needs them all), but without ingest.json no stage reads them.
        new("corpus: only empty and one-token documents", w =>
        {
            var corpus = w.Write("c.jsonl", "{\"text\": \"\"}\n{\"text\": \"a\"}\n{\"text\": \"\"}\n");
            return new HostileInvocation(w.Ingest(corpus, HostileWorkspace.Tokenizer), corpus, "no token to predict", [w.PathOf("run/ingest.json")]);
        }),
        Bytes("corpus: truncated .jsonl.zst", "c.jsonl.zst", Truncated(Zstd(ManyLines())), "truncated compressed stream"),
        Bytes("corpus: .jsonl.zst that is not zstd", "c.jsonl.zst", Encoding.UTF8.GetBytes(ManyLines()), "zstd"),
        Bytes("corpus: .parquet that is not Parquet", "c.parquet", Encoding.UTF8.GetBytes(ManyLines()), "Parquet"),
        new("corpus: .parquet without the text column", w =>
        {
            var corpus = w.PathOf("c.parquet");
            // A tokens part of the base run is a valid Parquet file without a `text` column.
            var run = w.ScoredRun();
            File.Copy(Path.Combine(run, "tokens", "part-00000.parquet"), corpus);
            return new HostileInvocation(w.Ingest(corpus, HostileWorkspace.Tokenizer, output: "fresh"),
                corpus, "text", [w.PathOf("fresh/ingest.json"), w.PathOf("fresh/tokens/part-00000.parquet")]);
        }),
        new("corpus: one 100 MB line under a 256 MB GC heap limit", w =>
        {
            var corpus = w.PathOf("huge.jsonl");
            using (var file = File.Create(corpus))
            {
                file.Write(GoodLine);
                file.Write("{\"text\": \""u8);
                var block = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("lorem ipsum dolor ", 1 << 12)));
                for (long written = 0; written < 100_000_000; written += block.Length)
                    file.Write(block);
                file.Write("\"}\n"u8);
            }
            return new HostileInvocation(w.Ingest(corpus, HostileWorkspace.Tokenizer), corpus, ":2:", [w.PathOf("run/ingest.json")])
            {
                Environment = { ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
            };
        }),
    ];

    private static string ManyLines() =>
        string.Concat(Enumerable.Range(0, 3000).Select(i => $"{{\"text\": \"document {i} {new string('z', i % 70)}\"}}\n"));

    private static byte[] Zstd(string text) => new ZstdSharp.Compressor(3).Wrap(Encoding.UTF8.GetBytes(text)).ToArray();

    private static byte[] Truncated(byte[] bytes) => bytes[..(bytes.Length / 2)];

    private static HostileCase Bytes(string name, string file, byte[] content, string phrase) =>
        new(name, w =>
        {
            var corpus = w.Write(file, content);
            return new HostileInvocation(w.Ingest(corpus, HostileWorkspace.Tokenizer), corpus, phrase,
                [w.PathOf("run/ingest.json"), w.PathOf("run/tokens/part-00000.parquet"), w.PathOf("run/documents/part-00000.parquet")]);
        });
}
