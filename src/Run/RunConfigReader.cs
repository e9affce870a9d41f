using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Options;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Ingest;
using QuantaProbe.Report;
using QuantaProbe.Onnx;

namespace QuantaProbe.Run;

/// <summary>
/// Reads a run config (JSON, or YAML by extension). Paths are relative to the config file. Every
/// key is checked: a misspelt or misplaced setting is an error naming it, never a silent default.
/// </summary>
public static class RunConfigReader
{
    private static readonly SettingGroup RunOnly = new(stage: null, section: null);

    public static readonly Setting<string?> RunFolder = RunOnly.Add("run_folder", (string?)null, SettingFormats.Path,
        "The run folder (the stage commands' --run / --out)", place: SettingPlace.Config);

    public static readonly Setting<double> ShardWaitHours = RunOnly.Add("shard_wait_hours", 24.0, SettingFormats.Double,
        "How long a shard waits for the others at a barrier", SettingGroup.Between(0.001, 24 * 365), place: SettingPlace.Config);

    /// <summary>Every setting a run config may hold besides <c>family</c>: the stages' (each in its object, see <see cref="Setting.Section"/>) and the run's.</summary>
    public static IReadOnlyList<Setting> Settings { get; } =
    [
        .. RunOnly.All, .. IngestOptions.Settings.All, .. InferOptions.Settings.All, .. GradientsOptions.Settings.All,
        .. DecomposeOptions.Settings.All, .. ReportOptions.Settings.All,
    ];

    public static RunConfig Read(string path)
    {
        // A setting's error names the setting alike for the CLI and the config; here it also names the file.
        try { return ReadSettings(path); }
        catch (QuantaException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal)) { throw new QuantaException($"{path}: {e.Message}; fix the config"); }
    }

    private static RunConfig ReadSettings(string path)
    {
        var document = ConfigDocument.Load(path);
        var root = new ConfigSection(path, ReportShorthand(document));
        var settings = new ConfigSettings(root);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string runFolder = settings.Get(RunFolder) ?? throw root.Bad(RunFolder.Key, "is required");
        string corpus = settings.Get(IngestOptions.Settings.Corpus) ?? throw root.Bad(IngestOptions.Settings.Corpus.Key, "is required");
        IngestOptions.CheckOutsideCorpus(corpus, runFolder);
        RunFolderLock.RefuseFile(runFolder);
        var cache = HubCache.Locate(settings.Get(RunLevelSettings.CacheDir));
        var tokenizer = ReadTokenizer(root, settings, folder, cache);
        var decompose = DecomposeOptions.Settings.From(settings, runFolder);
        var report = ReportOptions.Settings.From(settings, runFolder);
        var config = new RunConfig
        {
            ConfigPath = Path.GetFullPath(path),
            Settings = document,
            RunFolder = runFolder,
            Corpus = corpus,
            Tokenizer = tokenizer.Path,
            TokenizerHub = tokenizer.Hub,
            ContextLength = settings.Get(IngestOptions.Settings.ContextLength),
            DocumentsPerPart = settings.Get(IngestOptions.Settings.DocsPerPart),
            CorpusOptions = IngestOptions.Settings.CorpusOptions(settings),
            Family = ReadFamily(root, folder, cache),
            Device = settings.Get(InferenceDeviceSetting.Device),
            Threads = settings.Get(RunLevelSettings.Threads),
            InferBatchTokens = settings.Get(InferOptions.Settings.BatchTokens),
            ContextProbe = ContextProbeOptions.Settings.From(settings),
            Gradients = new GradientsSettings
            {
                Enabled = settings.Get(GradientsOptions.Settings.Enabled),
                Model = settings.Get(GradientsOptions.Settings.Model),
                SelectionModel = settings.Get(GradientsOptions.Settings.SelectModel),
                Selection = SelectionOptions.Settings.From(settings),
                Gradient = GradientOptions.Settings.From(settings),
                BatchTokens = settings.Get(GradientsOptions.Settings.BatchTokens),
            },
            Decompose = new DecomposeSettings
            {
                Seed = decompose.Seed, Resamples = decompose.Resamples, Qdg = decompose.Qdg, Schedule = decompose.Schedule,
                LearningOrder = decompose.LearningOrder, CorpusExponents = decompose.CorpusExponents,
            },
            Report = settings.Get(ReportOptions.Settings.Enabled),
            ReportSettings = new ReportSettings { SimilaritySamples = report.SimilaritySamples, ClustersShown = report.ClustersShown },
            Shard = settings.Get(RunLevelSettings.Shard),
            ShardWaitHours = settings.Get(ShardWaitHours),
        };
        settings.RejectUnknownKeys();
        return config;
    }

    /// <summary><c>"report": false</c> is short for <c>"report": {"enabled": false}</c> (read from a copy: run.json records the config as written).</summary>
    private static JsonObject ReportShorthand(JsonObject document)
    {
        if (document["report"] is not JsonValue value || !value.TryGetValue(out bool enabled))
            return document;
        var copy = (JsonObject)document.DeepClone();
        copy["report"] = new JsonObject { [ReportOptions.Settings.Enabled.Key] = enabled };
        return copy;
    }

    private static List<ExportSource> ReadFamily(ConfigSection root, string folder, HubCache cache)
    {
        var list = root.Array("family") ?? throw root.Bad("family", "is required: a list of checkpoint folders or hub names, e.g. [\"../models/a\", \"EleutherAI/pythia-70m@step3000\", {\"checkpoint\": \"../models/b\", \"step\": 1000}]");
        var family = new List<ExportSource>();
        var missing = new List<(string Key, HubReference Reference, QuantaException Error)>();
        for (int i = 0; i < list.Count; i++)
        {
            string key = $"family[{i}]";
            var one = list[i] switch
            {
                JsonValue v when v.TryGetValue(out string? checkpoint) => new JsonObject { ["checkpoint"] = checkpoint },
                JsonObject o => (JsonObject)o.DeepClone(),
                _ => throw root.Bad(key, "must be a checkpoint folder, a hub name ORG/NAME[@REVISION], {\"checkpoint\": ..., \"name\": ..., \"step\": ...} or {\"suite\": ..., \"steps\": [...]}"),
            };
            var entry = new ConfigSection(root.File, one, key + ".");
            foreach (var (checkpoint, name, step) in Members(root, entry, key))
            {
                if (checkpoint is null)
                {
                    family.Add(new ExportSource(entry.PathValue("onnx")!, IsOnnxDecoder: true, name, step));
                    continue;
                }
                // Every hub name is checked before the error: a suite's missing members all go into one download command.
                try { family.Add(ExportSource.Checkpoint(HubLocator.Checkpoint(checkpoint, folder, cache), name, step)); }
                catch (QuantaException e) when (HubLocator.HubNameOf(checkpoint, folder) is { } hub) { missing.Add((key, hub, e)); }
            }
            entry.RejectUnknownKeys();
        }
        if (missing.Count == 1)
            throw new QuantaException($"{root.File}: {missing[0].Key}: {missing[0].Error.Message}");
        if (missing.Count > 1)
            throw new QuantaException($"{root.File}: {missing.Count} hub models of the family are not (wholly) in the Hugging Face cache {cache.Root} "
                + $"({missing[0].Key}: {missing[0].Reference}, …); download them with: {string.Join(" && ", missing.Select(m => cache.DownloadCommand(m.Reference)).Distinct())}");
        if (family.Count == 0)
            throw root.Bad("family", "is empty; list at least one checkpoint folder or hub name");
        if (family.GroupBy(m => m.ModelName).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw root.Bad("family", $"names two models '{twice.Key}'; give one of them another \"name\"");
        return family;
    }

    private static LocatedInput ReadTokenizer(ConfigSection root, ConfigSettings settings, string folder, HubCache cache)
    {
        string text = settings.Get(IngestOptions.Settings.Tokenizer) ?? throw root.Bad(IngestOptions.Settings.Tokenizer.Key, "is required");
        try { return HubLocator.Tokenizer(text, folder, cache); }
        catch (QuantaException e) { throw new QuantaException($"{root.File}: tokenizer: {e.Message}"); }
    }

    /// <summary>The members one family entry stands for: a checkpoint (folder or hub name), an ONNX decoder (checkpoint null), or a suite's hub names.</summary>
    private static IEnumerable<(string? Checkpoint, string? Name, long? Step)> Members(ConfigSection root, ConfigSection entry, string key)
    {
        if (entry.String("suite") is { } suite)
        {
            if (entry.Has("checkpoint") || entry.Has("onnx"))
                throw root.Bad(key, "has \"suite\" and a \"checkpoint\" or \"onnx\"; a suite entry lists hub models only");
            return Suite(root, entry, key, suite).Select<HubReference, (string?, string?, long?)>(r => (HubReference.Scheme + r, null, null));
        }
        string? onnx = entry.String("onnx");
        string? checkpoint = entry.String("checkpoint");
        if ((onnx is null) == (checkpoint is null))
            throw root.Bad(key, "needs exactly one of \"checkpoint\" (an HF folder or hub name ORG/NAME[@REVISION]), \"onnx\" (a decoder with logits) or \"suite\" (hub names with {a,b} braces)");
        return [((string?)checkpoint, entry.String("name"), entry.Int("step", 0))];
    }

    private static IReadOnlyList<HubReference> Suite(ConfigSection root, ConfigSection entry, string key, string suite)
    {
        var steps = entry.Array("steps")?.Select((n, i) => ConfigSection.TryInteger(n, out long s) && s >= 0 ? HubSuite.StepRevision(s) : throw entry.Bad($"steps[{i}]", "must be a whole number ≥ 0 (the revision is stepN)")).ToList();
        var revisions = entry.Array("revisions")?.Select((n, i) => n is JsonValue v && v.TryGetValue(out string? r) && r.Length > 0 ? r : throw entry.Bad($"revisions[{i}]", "must be a revision name such as main or step3000")).ToList();
        if (steps is not null && revisions is not null)
            throw root.Bad(key, "has both \"steps\" and \"revisions\"; use one list");
        try
        {
            var members = HubSuite.Expand(suite, steps ?? revisions);
            return members.Count > 0 ? members : throw root.Bad(key + ".steps", "is empty; list at least one step");
        }
        catch (FormatException e)
        {
            throw root.Bad(key + ".suite", $"cannot be expanded: {e.Message}");
        }
    }
}
