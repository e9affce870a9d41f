using QuantaProbe.Ingest;
using QuantaProbe.Ingest.Corpus;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Tests.Ingest;

internal static class IngestTestKit
{
    public static readonly string NeoxTokenizer = SharedData.Tokenizer("gpt-neox-20b");
    private static readonly Lazy<HfTokenizer> Neox = new(() => HfTokenizer.Load(NeoxTokenizer));
    public static HfTokenizer Tokenizer => Neox.Value;

    public static Task<IngestResult> RunAsync(string corpus, string run, int docsPerPart = 4096, int contextLength = 1024,
        string? separator = null, QuantaProbe.Core.ShardSpec? shard = null, string textColumn = "text") =>
        IngestStage.RunAsync(new IngestOptions
        {
            Corpus = corpus,
            Tokenizer = NeoxTokenizer,
            RunFolder = run,
            DocumentsPerPart = docsPerPart,
            ContextLength = contextLength,
            Shard = shard ?? QuantaProbe.Core.ShardSpec.All,
            CorpusOptions = new CorpusOptions { Separator = separator, TextColumn = textColumn },
        });

    public sealed record Output(long[] DocIds, string[] Sources, int[] Counts, string[] Texts, long[] TokenDocIds, int[] Positions, int[] TokenIds);

    public static async Task<Output> ReadAsync(string run) => new(
        await ParquetTestReader.ColumnAsync<long>(Path.Combine(run, "documents"), "doc_id"),
        await ParquetTestReader.StringColumnAsync(Path.Combine(run, "documents"), "source"),
        await ParquetTestReader.ColumnAsync<int>(Path.Combine(run, "documents"), "n_tokens"),
        await ParquetTestReader.StringColumnAsync(Path.Combine(run, "documents"), "text"),
        await ParquetTestReader.ColumnAsync<long>(Path.Combine(run, "tokens"), "doc_id"),
        await ParquetTestReader.ColumnAsync<int>(Path.Combine(run, "tokens"), "pos"),
        await ParquetTestReader.ColumnAsync<int>(Path.Combine(run, "tokens"), "token_id"));

    /// <summary>Token ids of one document, from the tokens/ rows.</summary>
    public static int[] IdsOf(Output o, long docId) =>
        Enumerable.Range(0, o.TokenIds.Length).Where(i => o.TokenDocIds[i] == docId).Select(i => o.TokenIds[i]).ToArray();

    /// <summary>Every file under the run folder, relative path → bytes.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string run) => FolderSnapshot.Of(run);

    public static void AssertNoTemporaries(string run) =>
        Assert.Empty(Directory.Exists(run) ? Directory.EnumerateFiles(run, "*.tmp", SearchOption.AllDirectories) : []);
}
