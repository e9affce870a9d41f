using System.CommandLine;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Options;
using QuantaProbe.Ingest;
using S = QuantaProbe.Ingest.IngestOptions.Settings;

namespace QuantaProbe.Cli;

internal static class IngestCommand
{
    public static Command Create()
    {
        var settings = new CliSettings(S.All);
        var command = settings.Command("ingest", "Tokenize a corpus into tokens/ and documents/ part files");
        command.SetAction((parse, cancel) => CommandRunner.RunAsync(async ct =>
        {
            var given = settings.Read(parse);
            var options = new IngestOptions
            {
                Corpus = given.Get(S.Corpus)!,
                Tokenizer = HubLocator.Tokenizer(given.Get(S.Tokenizer)!, baseFolder: null, HubCache.Locate(given.Get(RunLevelSettings.CacheDir))).Path,
                RunFolder = given.Get(S.Out)!,
                ContextLength = given.Get(S.ContextLength),
                Shard = given.Get(RunLevelSettings.Shard),
                DocumentsPerPart = given.Get(S.DocsPerPart),
                Threads = given.Get(RunLevelSettings.Threads) ?? Environment.ProcessorCount,
                CorpusOptions = S.CorpusOptions(given),
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
}
