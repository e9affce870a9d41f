using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Inference.Export;
using QuantaProbe.Inference.Gradients;
using QuantaProbe.Inference.Runtime;
using QuantaProbe.Inference.Selection;
using QuantaProbe.Ingest.Corpus;

namespace QuantaProbe.Run;

/// <summary>
/// Reads a run config (JSON, or YAML by extension). Paths are relative to the config file. Every
/// key is checked: a misspelt or misplaced setting is an error naming it, never a silent default.
/// </summary>
public static class RunConfigReader
{
    public static RunConfig Read(string path)
    {
        var document = ConfigDocument.Load(path);
        var root = new ConfigSection(path, document);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string runFolder = root.RequiredPath("run_folder"), corpus = root.RequiredPath("corpus");
        var cache = HubCache.Locate(root.PathValue("cache_dir"));
        var tokenizer = ReadTokenizer(root, folder, cache);
        var config = new RunConfig
        {
            ConfigPath = Path.GetFullPath(path),
            Settings = document,
            RunFolder = runFolder,
            Corpus = corpus,
            Tokenizer = tokenizer.Path,
            TokenizerHub = tokenizer.Hub,
            ContextLength = root.Int("context_length", 2) ?? 1024,
            DocumentsPerPart = root.Int("docs_per_part", 1) ?? 4096,
            CorpusOptions = new CorpusOptions
            {
                Separator = root.String("separator"),
                TextColumn = root.String("text_column") ?? "text",
            },
            Family = ReadFamily(root, folder, cache),
            Device = ReadDevice(root),
            Threads = root.Int("threads", 1),
            InferBatchTokens = root.Section("infer") is { } infer ? ReadInfer(infer) : 2048,
            Gradients = root.Section("gradients") is { } g ? ReadGradients(g) : new GradientsSettings(),
            Decompose = root.Section("decompose") is { } d ? ReadDecompose(d) : new DecomposeSettings(),
            Report = root.Bool("report") ?? true,
            Shard = root.String("shard") is { } shard ? ParseShard(root, shard) : ShardSpec.All,
            ShardWaitHours = root.Double("shard_wait_hours", 0.001, 24 * 365) ?? 24,
        };
        root.RejectUnknownKeys();
        return config;
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

    private static LocatedInput ReadTokenizer(ConfigSection root, string folder, HubCache cache)
    {
        string text = root.RequiredString("tokenizer");
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

    private static ShardSpec ParseShard(ConfigSection root, string text)
    {
        try { return ShardSpec.Parse(text); }
        catch (QuantaException e) { throw root.Bad("shard", $"is not i/n ({e.Message})"); }
    }

    private static InferenceDevice ReadDevice(ConfigSection root) => root.String("device")?.ToLowerInvariant() switch
    {
        null or "cpu" => InferenceDevice.Cpu,
        "cuda" or "gpu" => InferenceDevice.Cuda,
        _ => throw root.Bad("device", "must be cpu or cuda"),
    };

    private static int ReadInfer(ConfigSection s)
    {
        int batch = s.Int("batch_tokens", 2) ?? 2048;
        s.RejectUnknownKeys();
        return batch;
    }

    private static GradientsSettings ReadGradients(ConfigSection s)
    {
        var defaults = new SelectionOptions();
        bool exact = s.Bool("exact") ?? false;
        var settings = new GradientsSettings
        {
            Enabled = s.Bool("enabled") ?? true,
            Model = s.String("model"),
            SelectionModel = s.String("select_model"),
            Selection = new SelectionOptions
            {
                Mode = s.String("select") switch
                {
                    null or "low-loss" => SelectionMode.LowLoss,
                    "all" => SelectionMode.All,
                    "random" => SelectionMode.Random,
                    "file" => SelectionMode.File,
                    _ => throw s.Bad("select", "must be low-loss, all, random or file"),
                },
                File = s.PathValue("selection_file"),
                MaxLoss = s.Double("max_loss", 1e-9, 1e3) ?? defaults.MaxLoss,
                ExcludeInduction = !(s.Bool("keep_induction") ?? false),
                Count = s.Int("n", 1) ?? defaults.Count,
                Seed = s.Int("seed") ?? 0,
            },
            Gradient = exact ? GradientOptions.Exact
                : GradientOptions.Sketch(s.Int("k_in", 1, 4096) ?? 16, s.Int("k_out", 1, 4096) ?? 16, s.Int("projection_seed") ?? 0),
            BatchTokens = s.Int("batch_tokens", 2) ?? 2048,
        };
        if (exact && (s.Has("k_in") || s.Has("k_out")))
            throw s.Bad("exact", "is true, so k_in and k_out do not apply; drop one or the other");
        s.RejectUnknownKeys();
        return settings;
    }

    private static DecomposeSettings ReadDecompose(ConfigSection s)
    {
        var defaults = new QdgOptions();
        var ks = s.Array("k");
        int[]? rankRange = s.Array("rank_range")?.Select((n, i) => ConfigSection.TryInteger(n, out long x) && x >= 1 && x <= int.MaxValue ? (int)x : throw s.Bad($"rank_range[{i}]", "must be a whole number ≥ 1")).ToArray();
        if (rankRange is not null && (rankRange.Length != 2 || rankRange[0] >= rankRange[1]))
            throw s.Bad("rank_range", "must be [first, last] with first < last, e.g. [2, 40]");
        int seed = s.Int("seed") ?? 0;
        var settings = new DecomposeSettings
        {
            Seed = seed,
            Resamples = s.Int("resamples", 1) ?? 1000,
            Qdg = new QdgOptions
            {
                Ks = ks?.Select((n, i) => ConfigSection.TryInteger(n, out long k) && k >= 2 && k <= int.MaxValue ? (int)k : throw s.Bad($"k[{i}]", "must be a whole number ≥ 2")).ToArray() is { Length: > 0 } list ? list
                    : ks is null ? defaults.Ks : throw s.Bad("k", "is empty; list numbers of clusters such as [10, 20, 50]"),
                ReferenceK = s.Int("reference_k", 2) ?? defaults.ReferenceK,
                Method = s.String("method") switch
                {
                    null or "agglomerative" => QdgMethod.Agglomerative,
                    "spectral" => QdgMethod.Spectral,
                    _ => throw s.Bad("method", "must be agglomerative or spectral"),
                },
                Restarts = s.Int("restarts", 1) ?? defaults.Restarts,
                Resamples = s.Int("qdg_resamples", 1) ?? defaults.Resamples,
                RankRange = rankRange is null ? null : (rankRange[0], rankRange[1]),
                CurveWeight = s.Double("curve_weight", 0, 100) ?? 0,
                Seed = seed,
            },
        };
        if (settings.Qdg.CurveWeight > 0 && settings.Qdg.Method != QdgMethod.Agglomerative)
            throw s.Bad("curve_weight", "works with method agglomerative only; drop one of them");
        s.RejectUnknownKeys();
        return settings;
    }
}
