using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Models.Weights;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Tests.Hub;

/// <summary>
/// `quanta export`, `quanta run`, `ingest` and `sample` given hub names, as a user runs them (child
/// processes whose environment points at a hand-built hub cache: HF_HUB_CACHE, HF_HOME, or only HOME).
/// </summary>
[Trait("tier", "slow")]
public class HubCliTests
{
    private const string Tiny = "EleutherAI/neox-tiny";
    private static readonly string Fixture = Path.Combine(SharedData.Root, "fixtures", "neox-tiny-parallel-f32");
    private static string Model(string name) => Path.Combine(SharedData.Root, "models", name);

    /// <summary>An empty cache where <paramref name="variable"/> (HF_HUB_CACHE, HF_HOME, or HOME for the default) finds it; the environment that finds only it.</summary>
    private static (HubCacheTree Tree, Dictionary<string, string?> Environment) CacheFoundBy(TempFolder tmp, string variable)
    {
        return variable switch
        {
            "HF_HUB_CACHE" => (new HubCacheTree(tmp.Sub("cache")), HubCacheTree.Environment(variable, Path.Combine(tmp.Path, "cache"))),
            "HF_HOME" => (new HubCacheTree(tmp.Sub("hf-home/hub")), HubCacheTree.Environment(variable, Path.Combine(tmp.Path, "hf-home"))),
            _ => (new HubCacheTree(tmp.Sub("home/.cache/huggingface/hub")), HubCacheTree.Environment("HOME", Path.Combine(tmp.Path, "home"))),
        };
    }

    [Theory]
    [InlineData("HF_HUB_CACHE", true)]
    [InlineData("HF_HOME", false)]
    [InlineData("HOME", true)]
    public void Export_reads_a_hub_revision_from_the_cache_the_environment_names(string variable, bool links)
    {
        using var tmp = new TempFolder();
        var (tree, env) = CacheFoundBy(tmp, variable);
        string commit = tree.Add(Tiny, "step3000", Fixture, links);
        var (code, output, err) = QuantaProcess.Run(env, "export", "--checkpoint", $"{Tiny}@step3000", "--out", Path.Combine(tmp.Path, "run", "models"));
        Assert.True(code == 0, err);
        Assert.Contains($"export: neox-tiny-step3000 from {Tiny}@step3000 (commit {commit}) (step 3000,", output);
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "run", "models", "neox-tiny-step3000", "model.json")))!;
        Assert.Equal(3000, model["step"]!.GetValue<long>());
        Assert.Equal($"{Tiny}@step3000", model["hub"]!["reference"]!.GetValue<string>());
        Assert.Equal(commit, model["hub"]!["commit"]!.GetValue<string>());
        Assert.Equal(tree.Snapshot(Tiny, commit), model["source"]!.GetValue<string>());
        // The weights read through the cache's links (or copies) are the fixture's.
        Assert.Equal(WeightsFormats.Fingerprint(Fixture), model["weights_sha256"]!.GetValue<string>());
        Assert.Equal("", err.Trim());
    }

    [Fact]
    public void Export_by_commit_names_the_model_after_it_and_warns_about_revisions_with_identical_weights()
    {
        using var tmp = new TempFolder();
        var (tree, env) = CacheFoundBy(tmp, "HF_HUB_CACHE");
        string step0 = tree.Add(Tiny, "step0", Fixture);
        tree.Add(Tiny, "step1", Fixture);
        var (code, output, err) = QuantaProcess.Run(env, "export", "--checkpoint", $"{Tiny}@{step0}", $"{Tiny}@step1", "--out", Path.Combine(tmp.Path, "models"));
        Assert.True(code == 0, err);
        string first = "neox-tiny-" + step0[..10];
        Assert.Contains($"export: {first} from {Tiny}@{step0} (commit {step0})", output);
        Assert.Equal($"warning: {first} and neox-tiny-step1 have identical weights (weights_sha256 {WeightsFormats.Fingerprint(Fixture)[..12]}…): "
            + "one checkpoint under several names (the hub serves some revisions with another's weights), so their results are one model's", err.Trim());
    }

    [Fact]
    public void Export_of_a_model_not_in_the_cache_is_one_line_with_the_download_command_and_writes_nothing()
    {
        using var tmp = new TempFolder();
        var cache = tmp.Sub("cache");
        var (code, _, err) = QuantaProcess.Run(HubCacheTree.Environment("HF_HUB_CACHE", "/nonexistent"),
            "export", "--checkpoint", "EleutherAI/pythia-70m@step3000", "--cache-dir", cache, "--out", Path.Combine(tmp.Path, "models"));
        Assert.Equal(1, code);
        Assert.Equal($"error: EleutherAI/pythia-70m@step3000: neither a local path ({Path.GetFullPath("EleutherAI/pythia-70m@step3000")}) nor in the Hugging Face cache {cache} "
            + $"(no models--EleutherAI--pythia-70m); download it with: huggingface-cli download EleutherAI/pythia-70m --revision step3000 --cache-dir {cache}", err.Trim());
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "models")));
    }

    private static HubCacheTree Pythia8k(HubCacheTree tree, bool links)
    {
        string tokenizer = SharedData.Tokenizer("pythia-8k");
        tree.Add("EleutherAI/pythia8k-h32-l2", "step200", Model("pythia8k-h32-l2-step200"), links, tokenizer);
        tree.Add("EleutherAI/pythia8k-h32-l2", "step1200", Model("pythia8k-h32-l2-step1200"), links, tokenizer);
        // The hub serves some revisions with another's weights: step1400 is step1200's files under a new commit.
        tree.Add("EleutherAI/pythia8k-h32-l2", "step1400", Model("pythia8k-h32-l2-step1200"), links, tokenizer);
        tree.Add("EleutherAI/pythia8k-h64-l2", "step1200", Model("pythia8k-h64-l2"), links);
        return tree;
    }

    private static string Config(TempFolder tmp, string family, bool full)
    {
        File.WriteAllLines(Path.Combine(tmp.Path, "corpus.jsonl"), File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(24));
        return tmp.File("config.json", $$"""
            {
              "run_folder": "run", "corpus": "corpus.jsonl", "context_length": 64, "docs_per_part": 12, "threads": 1,
              "tokenizer": "EleutherAI/pythia8k-h32-l2@step1200",
              "family": {{family}},
              "gradients": { "enabled": {{(full ? "true" : "false")}}, "select": "random", "n": 48, "seed": 1, "k_in": 4, "k_out": 4 },
              "decompose": { "k": [2, 4], "reference_k": 2, "resamples": 20, "qdg_resamples": 20 },
              "report": {{(full ? "true" : "false")}}
            }
            """);
    }

    [Fact]
    public void Run_of_a_suite_from_the_hub_cache_records_commits_and_flags_identical_weights_in_summary_and_report()
    {
        using var tmp = new TempFolder();
        var (tree, env) = CacheFoundBy(tmp, "HF_HUB_CACHE");
        Pythia8k(tree, links: true);
        string config = Config(tmp, """
            [ { "suite": "EleutherAI/pythia8k-{h32,h64}-l2", "steps": [1200] },
              { "suite": "EleutherAI/pythia8k-h32-l2@step{200,1400}" } ]
            """, full: true);
        var (code, output, err) = QuantaProcess.Run(env, "run", config);
        Assert.True(code == 0, err);
        Assert.Contains("run: 4 models", output);
        string[] names = ["pythia8k-h32-l2-step1200", "pythia8k-h64-l2-step1200", "pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1400"];
        Assert.Contains("run: warning: pythia8k-h32-l2-step1200 and pythia8k-h32-l2-step1400 have identical weights", err);
        string run = Path.Combine(tmp.Path, "run");

        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")))!;
        var hub = record["inputs"]!["hub"]!.AsArray();
        Assert.Equal(["tokenizer", .. names.Select(n => "model:" + n)], hub.Select(h => h!["role"]!.GetValue<string>()));
        var h64 = hub.Single(h => h!["role"]!.GetValue<string>() == "model:pythia8k-h64-l2-step1200")!;
        Assert.Equal("EleutherAI/pythia8k-h64-l2@step1200", h64["reference"]!.GetValue<string>());
        string h64Commit = h64["commit"]!.GetValue<string>();
        Assert.Equal(tree.Snapshot("EleutherAI/pythia8k-h64-l2", h64Commit), h64["snapshot"]!.GetValue<string>());
        var weights = record["inputs"]!["files"]!.AsArray().Single(f => f!["role"]!.GetValue<string>() == "model:pythia8k-h64-l2-step1200" && f["path"]!.GetValue<string>().EndsWith("model.safetensors"))!;
        Assert.Equal(Sha256File.Of(Path.Combine(Model("pythia8k-h64-l2"), "model.safetensors")), weights["sha256"]!.GetValue<string>());
        Assert.Equal(tree.BlobOf("EleutherAI/pythia8k-h64-l2", h64Commit, "model.safetensors"), weights["blob"]!.GetValue<string>());

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "decompose", "summary.json")))!;
        var models = summary["models"]!.AsArray();
        // summary.json lists the family by size, then step.
        Assert.Equal(["pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1200", "pythia8k-h32-l2-step1400", "pythia8k-h64-l2-step1200"], models.Select(m => m!["name"]!.GetValue<string>()));
        Assert.Equal([200L, 1200L, 1400L, 1200L], models.Select(m => m!["step"]!.GetValue<long>()));
        Assert.Equal(["pythia8k-h32-l2-step1400"], models[1]!["same_weights_as"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["pythia8k-h32-l2-step1200"], models[2]!["same_weights_as"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Empty(models[3]!["same_weights_as"]!.AsArray());
        var duplicate = Assert.Single(summary["duplicate_weights"]!.AsArray())!;
        Assert.Equal(["pythia8k-h32-l2-step1200", "pythia8k-h32-l2-step1400"], duplicate["models"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(WeightsFormats.Fingerprint(Model("pythia8k-h32-l2-step1200")), duplicate["weights_sha256"]!.GetValue<string>());
        // Identical weights score identically: the flag is about real duplicates.
        Assert.Equal(models[1]!["mean_loss"]!.GetValue<double>(), models[2]!["mean_loss"]!.GetValue<double>());
        var steps = Assert.Single(summary["scaling_in_steps"]!.AsArray())!;
        Assert.Equal(["pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1200", "pythia8k-h32-l2-step1400"], steps["models"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["pythia8k-h32-l2-step1200", "pythia8k-h32-l2-step1400"], Assert.Single(steps["same_weights"]!.AsArray())!.AsArray().Select(n => n!.GetValue<string>()));

        string html = File.ReadAllText(Path.Combine(run, "report", "index.html"));
        Assert.Equal(2, html.Split("Identical weights: pythia8k-h32-l2-step1200 and pythia8k-h32-l2-step1400.").Length - 1); // models table and the step curves
        Assert.Contains("<th>same weights as</th>", html);
        Assert.Contains("<td>pythia8k-h32-l2-step1400</td>", html);
    }

    [Theory]
    [InlineData("HF_HOME", false)]
    [InlineData("HOME", true)]
    public void Run_finds_hub_models_through_HF_HOME_and_the_default_location(string variable, bool links)
    {
        using var tmp = new TempFolder();
        var (tree, env) = CacheFoundBy(tmp, variable);
        Pythia8k(tree, links);
        var (code, _, err) = QuantaProcess.Run(env, "run", Config(tmp, """[ "EleutherAI/pythia8k-h32-l2@step200", "EleutherAI/pythia8k-h64-l2@step1200" ]""", full: false));
        Assert.True(code == 0, err);
        foreach (var name in new[] { "pythia8k-h32-l2-step200", "pythia8k-h64-l2-step1200" })
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(tmp.Path, "run", "losses", "model=" + name), "part-*.parquet"));
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.Path, "run", "run.json")))!;
        Assert.All(record["inputs"]!["hub"]!.AsArray(), h => Assert.StartsWith(tree.Root, h!["snapshot"]!.GetValue<string>()));
    }

    [Fact]
    public void Run_with_a_suite_member_missing_stops_before_any_work_with_every_download_command()
    {
        using var tmp = new TempFolder();
        var (tree, env) = CacheFoundBy(tmp, "HF_HUB_CACHE");
        Pythia8k(tree, links: true);
        string config = Config(tmp, """[ { "suite": "EleutherAI/pythia8k-{h32,h64}-l2", "steps": [200, 1200] } ]""", full: false);
        var (code, _, err) = QuantaProcess.Run(env, "run", config);
        Assert.Equal(1, code);
        Assert.Equal($"error: {config}: family[0]: EleutherAI/pythia8k-h64-l2@step200: revision step200 is not in the Hugging Face cache "
            + $"(no {tree.RepoFolder("EleutherAI/pythia8k-h64-l2")}/refs/step200); download it with: huggingface-cli download EleutherAI/pythia8k-h64-l2 --revision step200", err.Trim());
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "run")));
    }

    [Fact]
    public void Ingest_and_sample_take_the_tokenizer_as_a_hub_name()
    {
        using var tmp = new TempFolder();
        var (tree, env) = CacheFoundBy(tmp, "HF_HUB_CACHE");
        string commit = tree.Add("EleutherAI/pythia8k-h32-l2", "step1200", Model("pythia8k-h32-l2-step1200"), links: true, SharedData.Tokenizer("pythia-8k"));
        File.WriteAllLines(Path.Combine(tmp.Path, "corpus.jsonl"), File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(4));
        var ingest = QuantaProcess.Run(env, "ingest", "--corpus", Path.Combine(tmp.Path, "corpus.jsonl"), "--tokenizer", "EleutherAI/pythia8k-h32-l2@step1200", "--out", Path.Combine(tmp.Path, "run"));
        Assert.True(ingest.Code == 0, ingest.Err);
        Assert.Contains(Sha256File.Of(SharedData.Tokenizer("pythia-8k")), File.ReadAllText(Path.Combine(tmp.Path, "run", "ingest.json")));

        string output = Path.Combine(tmp.Path, "sampled.jsonl");
        var sample = QuantaProcess.Run(env, "sample", "--model", tree.Snapshot("EleutherAI/pythia8k-h32-l2", commit), "--tokenizer", "EleutherAI/pythia8k-h32-l2@step1200",
            "--out", output, "--documents", "2", "--max-tokens", "4", "--threads", "1");
        Assert.True(sample.Code == 0, sample.Err);
        Assert.Equal(2, File.ReadAllLines(output).Length);

        var missing = QuantaProcess.Run(env, "ingest", "--corpus", Path.Combine(tmp.Path, "corpus.jsonl"), "--tokenizer", "EleutherAI/pythia8k-h64-l2", "--out", Path.Combine(tmp.Path, "run2"));
        Assert.Equal(1, missing.Code);
        Assert.EndsWith("download it with: huggingface-cli download EleutherAI/pythia8k-h64-l2 --revision main", missing.Err.Trim());
    }
}
