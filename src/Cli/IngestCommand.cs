using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Ingest;
using QuantaProbe.Ingest.Corpus;

namespace QuantaProbe.Cli;

internal static class IngestCommand
{
    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "A .txt, .jsonl, .jsonl.zst or .parquet file, or a folder of them", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "The family's HF tokenizer.json, or a hub name ORG/NAME[@REVISION] (its cached snapshot's tokenizer.json)", Required = true };
        var cacheDir = CommonOptions.CacheDir();
        var contextLength = new Option<int>("--context-length") { Description = "Tokens kept per document", DefaultValueFactory = _ => 1024 };
        var output = new Option<string>("--out") { Description = "The run folder", Required = true };
        var shard = StageClock.ShardOption("write");
        var separator = new Option<string?>("--separator") { Description = "Split .txt files into documents at this string (\\n escapes allowed); default: one document per file" };
        var textColumn = new Option<string>("--text-column") { Description = "Text column of .parquet corpora", DefaultValueFactory = _ => "text" };
        var docsPerPart = new Option<int>("--docs-per-part") { Description = "Documents per part file", DefaultValueFactory = _ => 4096 };
        var threads = new Option<int>("--threads") { Description = "Tokenizer threads", DefaultValueFactory = _ => Environment.ProcessorCount };

        var command = new Command("ingest", "Tokenize a corpus into tokens/ and documents/ part files")
        {
            corpus, tokenizer, contextLength, output, shard, separator, textColumn, docsPerPart, threads, cacheDir,
        };
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var options = new IngestOptions
            {
                Corpus = parse.GetValue(corpus)!,
                Tokenizer = HubLocator.Tokenizer(parse.GetValue(tokenizer)!, baseFolder: null, HubCache.Locate(parse.GetValue(cacheDir))).Path,
                RunFolder = parse.GetValue(output)!,
                ContextLength = parse.GetValue(contextLength),
                Shard = ShardSpec.Parse(parse.GetValue(shard)),
                DocumentsPerPart = parse.GetValue(docsPerPart),
                Threads = parse.GetValue(threads),
                CorpusOptions = new CorpusOptions
                {
                    Separator = Unescape(parse.GetValue(separator)),
                    TextColumn = parse.GetValue(textColumn)!,
                },
            };
            var clock = new StageClock();
            var result = await ProgressDisplay.RunAsync("ingest", report =>
                IngestStage.RunAsync(options, new Progress<IngestProgress>(p => report(p.BytesRead, p.BytesTotal,
                    $"{p.DocumentsSeen:N0} docs, {p.TokensWritten:N0} tokens, {clock.Rate(p.TokensWritten)}")), ct));
            Console.WriteLine($"ingest: {result.Documents:N0} documents, {result.PartsWritten} parts written ({result.TokensWritten:N0} tokens, "
                + $"{clock.Rate(result.TokensWritten)}), {result.PartsSkipped} already complete");
            StageClock.PrintEnd("ingest", result.Complete, result.ManifestPath);
        }, cancel));
        return command;
    }

    private static string? Unescape(string? separator) =>
        separator?.Replace("\\n", "\n").Replace("\\r", "\r").Replace("\\t", "\t");
}
