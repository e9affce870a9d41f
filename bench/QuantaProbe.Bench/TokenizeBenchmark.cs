using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using QuantaProbe.Ingest;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Bench;

/// <summary>
/// Tokenizer and ingest throughput on the shared corpora, against the stock Microsoft.ML.Tokenizers
/// recipe (BpeTokenizer + .NET Regex GPT-2 pre-tokenizer) in the same process.
/// </summary>
internal static class TokenizeBenchmark
{
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static async Task RunAsync(string shared)
    {
        var tokenizerPath = Path.Combine(shared, "tokenizers", "gpt-neox-20b", "tokenizer.json");
        var texts = LoadTexts(Path.Combine(shared, "corpora"));
        long chars = texts.Sum(t => (long)t.Length);
        Console.WriteLine($"corpus: {texts.Count:N0} documents, {chars / 1e6:F1} M chars (../shared/corpora, all files); cores: {Environment.ProcessorCount}");

        var ours = HfTokenizer.Load(tokenizerPath);
        var stock = StockTokenizer(tokenizerPath);

        // Warm-up, so JIT and BPE caches are equally hot for every contender.
        Measure(texts, t => ours.Encode(t).Count, 1);
        Measure(texts, t => stock.EncodeToIds(t).Count, 1);

        var baseline = Measure(texts, t => stock.EncodeToIds(t).Count, 1);
        var single = Measure(texts, t => ours.Encode(t).Count, 1);
        var parallel = Measure(texts, t => ours.Encode(t).Count, Environment.ProcessorCount);
        Print("stock BpeTokenizer + Regex, 1 thread (baseline)", baseline, baseline);
        Print("HfTokenizer, 1 thread", single, baseline);
        Print($"HfTokenizer, {Environment.ProcessorCount} threads", parallel, baseline);

        var ingest = await MeasureIngestAsync(texts, tokenizerPath);
        Print($"quanta ingest end to end (jsonl → Parquet), {Environment.ProcessorCount} threads", ingest, baseline);
        Console.WriteLine($"target: >= 1,000,000 tokens/s for HfTokenizer on {Environment.ProcessorCount} cores: {(parallel.TokensPerSecond >= 1e6 ? "met" : "NOT met")}");
    }

    private readonly record struct Figure(long Tokens, double Seconds)
    {
        public double TokensPerSecond => Tokens / Seconds;
    }

    private static void Print(string what, Figure f, Figure baseline) =>
        Console.WriteLine($"{what,-70} {f.TokensPerSecond,12:N0} tokens/s  ({f.Tokens:N0} tokens in {f.Seconds:F2} s)  x{f.TokensPerSecond / baseline.TokensPerSecond:F2}");

    private static Figure Measure(List<string> texts, Func<string, int> encode, int threads)
    {
        long tokens = 0;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(texts, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0L,
            (t, _, local) => local + encode(t), local => Interlocked.Add(ref tokens, local));
        return new Figure(tokens, clock.Elapsed.TotalSeconds);
    }

    private static async Task<Figure> MeasureIngestAsync(List<string> texts, string tokenizer)
    {
        var dir = Directory.CreateTempSubdirectory("quanta-bench-");
        try
        {
            var corpus = Path.Combine(dir.FullName, "corpus.jsonl");
            await File.WriteAllLinesAsync(corpus, texts.Select(t => JsonSerializer.Serialize(new { text = t })));
            var clock = Stopwatch.StartNew();
            var result = await IngestStage.RunAsync(new IngestOptions
            {
                Corpus = corpus,
                Tokenizer = tokenizer,
                RunFolder = Path.Combine(dir.FullName, "run"),
                ContextLength = int.MaxValue,
                DocumentsPerPart = 2048,
            });
            return new Figure(result.TokensWritten, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static List<string> LoadTexts(string corpora)
    {
        var texts = new List<string>();
        foreach (var file in Directory.GetFiles(corpora).Order())
        {
            if (file.EndsWith(".jsonl"))
                texts.AddRange(File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!));
            else if (file.EndsWith(".txt"))
                texts.AddRange(File.ReadAllText(file).Split("\n\n").Where(t => t.Length > 0));
        }
        return texts;
    }

    private static Tokenizer StockTokenizer(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var model = doc.RootElement.GetProperty("model");
        var vocab = model.GetProperty("vocab").EnumerateObject().Select(p => new KeyValuePair<string, int>(p.Name, p.Value.GetInt32())).ToList();
        var merges = model.GetProperty("merges").EnumerateArray().Select(m => m.GetString()!).ToList();
        return BpeTokenizer.Create(new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new Regex(Gpt2Pattern, RegexOptions.Compiled), null),
        });
    }
}
