using QuantaProbe.Core;
using QuantaProbe.Core.Options;
using QuantaProbe.Ingest.Corpus;

namespace QuantaProbe.Ingest;

public sealed record IngestOptions
{
    public required string Corpus { get; init; }
    public required string Tokenizer { get; init; }
    public required string RunFolder { get; init; }
    public int ContextLength { get; init; } = Settings.ContextLength.Default;
    public int DocumentsPerPart { get; init; } = Settings.DocsPerPart.Default;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public CorpusOptions CorpusOptions { get; init; } = new();
    public int Threads { get; init; } = Environment.ProcessorCount;

    internal void Validate()
    {
        Settings.ContextLength.Check(ContextLength);
        Settings.DocsPerPart.Check(DocumentsPerPart);
        RunLevelSettings.Threads.Check(Threads);
        CheckOutsideCorpus(Corpus, RunFolder);
    }

    /// <summary>
    /// Refuses a run folder inside the corpus folder: its outputs would become corpus files, so the next
    /// run (a resume too) would read them as documents and see another corpus.
    /// </summary>
    public static void CheckOutsideCorpus(string corpus, string runFolder)
    {
        if (!Directory.Exists(corpus))
            return;
        string folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(corpus)) + Path.DirectorySeparatorChar;
        string run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder)) + Path.DirectorySeparatorChar;
        if (run.StartsWith(folder, StringComparison.Ordinal))
            throw new QuantaException($"{runFolder}: the run folder is inside the corpus folder {corpus}, whose every file is read as the corpus; put the run folder outside it");
    }

    /// <summary>The settings of <c>quanta ingest</c>; in a run config they are top-level keys.</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("ingest", section: null);

        public static readonly Setting<string?> Corpus = Group.Add("corpus", (string?)null, SettingFormats.Path,
            "A .txt, .jsonl, .jsonl.zst or .parquet file, or a folder of them", cliRequired: true);

        public static readonly Setting<string?> Tokenizer = Group.Add("tokenizer", (string?)null, SettingFormats.Text,
            "The family's HF tokenizer.json, or a hub name ORG/NAME[@REVISION] (its cached snapshot's tokenizer.json)", cliRequired: true);

        public static readonly Setting<int> ContextLength = Group.Add("context_length", 1024, SettingFormats.Int,
            "Tokens kept per document", SettingGroup.Between(2, SettingGroup.MaxTokens));

        public static readonly Setting<string?> Out = Group.Add("out", (string?)null, SettingFormats.Path,
            "The run folder", place: SettingPlace.Cli, cliRequired: true);

        public static readonly Setting<string?> Separator = Group.Add("separator", (string?)null, SettingFormats.EscapedText,
            "Split .txt files into documents at this string (\\n, \\r, \\t escapes allowed)",
            v => v is "" ? "must not be empty (leave it out for one document per file)" : null, defaultHelp: "one document per file");

        public static readonly Setting<string?> TextColumn = Group.Add("text_column", (string?)"text", SettingFormats.Text,
            "Text column of .parquet corpora", v => string.IsNullOrEmpty(v) ? "must not be empty" : null);

        public static readonly Setting<int> DocsPerPart = Group.Add("docs_per_part", 4096, SettingFormats.Int,
            "Documents per part file", SettingGroup.Between(1, 1 << 20));

        public static IReadOnlyList<Setting> All { get; } =
            Group.Include([RunLevelSettings.Shard, RunLevelSettings.Threads, RunLevelSettings.CacheDir]).All;

        public static CorpusOptions CorpusOptions(ISettingSource source) => new()
        {
            Separator = source.Get(Separator),
            TextColumn = source.Get(TextColumn)!,
        };
    }
}

/// <summary>What a call of <see cref="IngestStage.RunAsync"/> did.</summary>
public sealed record IngestResult(long Documents, long PartsWritten, long PartsSkipped, long TokensWritten, bool Complete, string? ManifestPath);

/// <summary>Progress of ingest: documents seen so far, and tokens written by this process.</summary>
public readonly record struct IngestProgress(long DocumentsSeen, long DocumentsWritten, long TokensWritten, long BytesRead, long BytesTotal);
