using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Run;

namespace QuantaProbe.Tests.Hub;

/// <summary>Run configs that name hub models, suites and tokenizers; what run.json records of them.</summary>
[Trait("tier", "fast")]
public class HubRunConfigTests
{
    private static readonly string Fixture = Path.Combine(SharedData.Root, "fixtures", "neox-tiny-parallel-f32");

    private static string Config(TempFolder tmp, string family, string tokenizer = "EleutherAI/pythia-70m@step1000") =>
        tmp.File("config.json", $$"""
            { "run_folder": "run", "corpus": "c.jsonl", "tokenizer": "{{tokenizer}}", "cache_dir": "hub", "family": {{family}} }
            """);

    private static HubCacheTree Suite(TempFolder tmp)
    {
        var tree = new HubCacheTree(Path.Combine(tmp.Path, "hub"));
        foreach (var size in new[] { "70m", "160m" })
            foreach (var step in new[] { 1000, 3000 })
                tree.Add($"EleutherAI/pythia-{size}", $"step{step}", Fixture, links: true, SharedData.Tokenizer("pythia-8k"));
        return tree;
    }

    [Fact]
    public void A_config_expands_suites_and_resolves_every_hub_name_against_cache_dir()
    {
        using var tmp = new TempFolder();
        var tree = Suite(tmp);
        tmp.Sub("local/model");
        var config = RunConfigReader.Read(Config(tmp, """
            [ { "suite": "EleutherAI/pythia-{70m,160m}", "steps": [1000, 3000] },
              "local/model",
              { "checkpoint": "EleutherAI/pythia-160m@step1000", "name": "mine", "step": 7 } ]
            """));
        Assert.Equal(["pythia-70m-step1000", "pythia-70m-step3000", "pythia-160m-step1000", "pythia-160m-step3000", "model", "mine"], config.Family.Select(m => m.ModelName));
        Assert.Equal([1000L, 3000L, 1000L, 3000L, null, 7L], config.Family.Select(m => m.Step));
        Assert.Equal(Path.Combine(tmp.Path, "local", "model"), config.Family[4].Path);
        Assert.Null(config.Family[4].Hub);
        Assert.Equal(tree.Snapshot("EleutherAI/pythia-160m", config.Family[2].Hub!.Commit), config.Family[2].Path);
        Assert.Equal(config.Family[2].Path, config.Family[5].Path);
        Assert.Equal(Path.Combine(tree.Snapshot("EleutherAI/pythia-70m", config.Family[0].Hub!.Commit), "tokenizer.json"), config.Tokenizer);
        Assert.Equal("EleutherAI/pythia-70m@step1000", config.TokenizerHub!.Reference.ToString());
    }

    [Fact]
    public void Missing_suite_members_fail_the_config_read_with_every_download_command()
    {
        using var tmp = new TempFolder();
        var tree = Suite(tmp);
        string path = Config(tmp, """[ { "suite": "EleutherAI/pythia-{70m,160m,410m}", "steps": [1000, 143000] } ]""");
        var e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(path));
        string Download(string repo, int step) => $"huggingface-cli download EleutherAI/pythia-{repo} --revision step{step} --cache-dir {tree.Root}";
        Assert.Equal($"{path}: 4 hub models of the family are not (wholly) in the Hugging Face cache {tree.Root} (family[0]: EleutherAI/pythia-70m@step143000, …); download them with: "
            + string.Join(" && ", Download("70m", 143000), Download("160m", 143000), Download("410m", 1000), Download("410m", 143000)), e.Message);

        string one = Config(tmp, """[ "EleutherAI/pythia-70m@step1000", "EleutherAI/pythia-70m@step2000" ]""");
        e = Assert.Throws<QuantaException>(() => RunConfigReader.Read(one));
        Assert.Equal($"{one}: family[1]: EleutherAI/pythia-70m@step2000: revision step2000 is not in the Hugging Face cache (no {tree.RepoFolder("EleutherAI/pythia-70m")}/refs/step2000); "
            + "download it with: " + $"huggingface-cli download EleutherAI/pythia-70m --revision step2000 --cache-dir {tree.Root}", e.Message);

        string tokenizer = Config(tmp, """[ "EleutherAI/pythia-70m@step1000" ]""", tokenizer: "EleutherAI/pythia-12b");
        Assert.StartsWith($"{tokenizer}: tokenizer: EleutherAI/pythia-12b@main: neither a local path", Assert.Throws<QuantaException>(() => RunConfigReader.Read(tokenizer)).Message);
    }

    [Theory]
    [InlineData("""[ { "suite": "EleutherAI/pythia-{70m", "steps": [1000] } ]""", "'family[0].suite' cannot be expanded: '{' without its '}'")]
    [InlineData("""[ { "suite": "EleutherAI/pythia-70m@step1000", "steps": [1000] } ]""", "'family[0].suite' cannot be expanded: EleutherAI/pythia-70m@step1000 already names its revisions")]
    [InlineData("""[ { "suite": "EleutherAI/pythia-70m", "steps": [-1] } ]""", "'family[0].steps[0]' must be a whole number ≥ 0")]
    [InlineData("""[ { "suite": "EleutherAI/pythia-70m", "steps": [1000], "revisions": ["main"] } ]""", "'family[0]' has both \"steps\" and \"revisions\"")]
    [InlineData("""[ { "suite": "EleutherAI/pythia-70m", "steps": [1000], "name": "x" } ]""", "unknown setting 'family[0].name'")]
    [InlineData("""[ { "suite": "EleutherAI/pythia-70m", "checkpoint": "x" } ]""", "'family[0]' has \"suite\" and a \"checkpoint\"")]
    [InlineData("""[ "EleutherAI/pythia-70m@step1000", { "suite": "EleutherAI/pythia-70m", "steps": [1000] } ]""", "'family' names two models 'pythia-70m-step1000'")]
    public void Malformed_suites_are_one_line_naming_the_key(string family, string expected)
    {
        using var tmp = new TempFolder();
        Suite(tmp);
        string path = Config(tmp, family);
        Assert.Contains(expected, Assert.Throws<QuantaException>(() => RunConfigReader.Read(path)).Message);
    }

    [Fact]
    public void Run_json_hashes_a_snapshots_blobs_and_keeps_the_size_and_time_shortcut()
    {
        using var tmp = new TempFolder();
        tmp.File("c.jsonl", "{\"text\": \"a\"}\n");
        var tree = Suite(tmp);
        var config = RunConfigReader.Read(Config(tmp, """[ "EleutherAI/pythia-70m@step1000" ]"""));
        var inputs = InputHashes.Compute(config, null, default);
        var files = inputs["files"]!.AsArray().OfType<JsonObject>().ToList();
        var weights = files.Single(f => f["path"]!.GetValue<string>().EndsWith("/model.safetensors"));
        string blob = tree.BlobOf("EleutherAI/pythia-70m", config.Family[0].Hub!.Commit, "model.safetensors");
        Assert.Equal(Path.Combine(config.Family[0].Path, "model.safetensors"), weights["path"]!.GetValue<string>());
        Assert.Equal(blob, weights["blob"]!.GetValue<string>());
        Assert.Equal(Sha256File.Of(Path.Combine(Fixture, "model.safetensors")), weights["sha256"]!.GetValue<string>());
        Assert.Equal(new FileInfo(blob).Length, weights["bytes"]!.GetValue<long>());
        Assert.Equal(new FileInfo(blob).LastWriteTimeUtc.ToString("O"), weights["modified_utc"]!.GetValue<string>());

        // The shortcut trusts the recorded sha256 while the blob's size and time (and the blob) are unchanged.
        var recorded = (JsonObject)inputs.DeepClone();
        recorded["files"]!.AsArray().OfType<JsonObject>().Single(f => f["path"]!.GetValue<string>() == weights["path"]!.GetValue<string>())["sha256"] = "recorded";
        Assert.Contains(InputHashes.Compute(config, recorded, default)["files"]!.AsArray(), f => f!["sha256"]!.GetValue<string>() == "recorded");
        File.SetLastWriteTimeUtc(blob, DateTime.UtcNow.AddMinutes(-5));
        Assert.DoesNotContain(InputHashes.Compute(config, recorded, default)["files"]!.AsArray(), f => f!["sha256"]!.GetValue<string>() == "recorded");

        var hub = inputs["hub"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(["tokenizer", "model:pythia-70m-step1000"], hub.Select(h => h["role"]!.GetValue<string>()));
        Assert.Equal(("EleutherAI/pythia-70m@step1000", config.Family[0].Hub!.Commit), (hub[1]["reference"]!.GetValue<string>(), hub[1]["commit"]!.GetValue<string>()));
    }

    [Fact]
    public void A_resume_after_a_branch_moved_to_another_commit_is_refused()
    {
        using var tmp = new TempFolder();
        tmp.File("c.jsonl", "{\"text\": \"a\"}\n");
        var tree = Suite(tmp);
        string path = Config(tmp, """[ "EleutherAI/pythia-70m@step1000" ]""", tokenizer: SharedData.Tokenizer("pythia-8k"));
        var before = InputHashes.Compute(RunConfigReader.Read(path), null, default);
        string old = before["hub"]![0]!["commit"]!.GetValue<string>();
        string moved = tree.Add("EleutherAI/pythia-70m", "step1000-new", Fixture);
        tree.SetRef("EleutherAI/pythia-70m", "step1000", moved);
        var after = InputHashes.Compute(RunConfigReader.Read(path), before, default);
        Assert.Equal($"EleutherAI/pythia-70m@step1000: now resolves to commit {moved}, but this run began with commit {old} (run.json); its results would mix two checkpoints. "
            + $"Name the commit (EleutherAI/pythia-70m@{old}) in the config to go on, or start a new run folder", HubInputs.Moved(before, after));
        Assert.Null(HubInputs.Moved(before, before));
    }

    [Fact]
    public void Identical_weights_are_grouped_by_fingerprint()
    {
        var groups = DuplicateWeights.Find([("a-step0", "s1"), ("b", "s2"), ("a-step1", "s1"), ("c", null), ("d", null), ("a-step2", "s1")]);
        var group = Assert.Single(groups);
        Assert.Equal("s1", group.WeightsSha256);
        Assert.Equal(["a-step0", "a-step1", "a-step2"], group.Models);
        Assert.StartsWith("warning: a-step0, a-step1 and a-step2 have identical weights (weights_sha256 s1…)", group.Warning);
    }
}
