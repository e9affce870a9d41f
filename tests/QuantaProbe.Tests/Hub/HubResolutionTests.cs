using QuantaProbe.Core;
using QuantaProbe.Core.Hub;

namespace QuantaProbe.Tests.Hub;

/// <summary>Hub names resolved through a hand-built cache: refs, commits, links or copies, and the download command for whatever is missing.</summary>
[Trait("tier", "fast")]
public class HubResolutionTests
{
    private const string Repo = "EleutherAI/pythia-tiny";
    private static readonly string Fixture = Path.Combine(SharedData.Root, "fixtures", "neox-tiny-parallel-f32");

    [Theory]
    [InlineData("EleutherAI/pythia-70m@step3000", "EleutherAI", "pythia-70m", "step3000", 3000L, "pythia-70m-step3000")]
    [InlineData("EleutherAI/pythia-70m", "EleutherAI", "pythia-70m", "main", null, "pythia-70m-main")]
    [InlineData("hf://EleutherAI/pythia-1.4b-deduped@step0", "EleutherAI", "pythia-1.4b-deduped", "step0", 0L, "pythia-1.4b-deduped-step0")]
    [InlineData("org/m@0123456789abcdef0123456789abcdef01234567", "org", "m", "0123456789abcdef0123456789abcdef01234567", null, "m-0123456789")]
    public void Hub_names_parse_into_repo_revision_default_name_and_step(string text, string org, string name, string revision, long? step, string modelName)
    {
        Assert.True(HubReference.TryParse(text, out var r));
        Assert.Equal((org, name, revision, step, modelName), (r.Organization, r.Name, r.Revision, r.Step, r.DefaultModelName));
        Assert.Equal($"models--{org}--{name}", r.CacheFolderName);
    }

    [Theory]
    [InlineData("pythia-70m")]
    [InlineData("models/pythia8k/pythia8k-h64-l2")]
    [InlineData("../models/a")]
    [InlineData("/abs/path")]
    [InlineData("./org/name")]
    [InlineData("org/name@")]
    [InlineData("org/na..me")]
    [InlineData("org--x/name")]
    public void Paths_and_malformed_names_are_not_hub_names(string text) =>
        Assert.False(HubReference.TryParse(text, out _));

    [Fact]
    public void The_cache_is_found_as_huggingface_hub_finds_it()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = "/home/u" };
        string? Get(string name) => env.GetValueOrDefault(name);
        Assert.Equal("/home/u/.cache/huggingface/hub", HubCache.Locate(null, Get).Root);
        env["XDG_CACHE_HOME"] = "/xdg";
        Assert.Equal("/xdg/huggingface/hub", HubCache.Locate(null, Get).Root);
        env["HF_HOME"] = "~/hf";
        Assert.Equal("/home/u/hf/hub", HubCache.Locate(null, Get).Root);
        env["HF_HUB_CACHE"] = "/hub";
        Assert.Equal("/hub", HubCache.Locate(null, Get).Root);
        Assert.False(HubCache.Locate(null, Get).Given);
        var given = HubCache.Locate("/given", Get);
        Assert.Equal(("/given", true), (given.Root, given.Given));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_revision_resolves_to_its_snapshot_through_links_or_copies(bool links)
    {
        using var tmp = new TempFolder();
        var tree = new HubCacheTree(tmp.Sub("hub"));
        string commit = tree.Add(Repo, "step3000", Fixture, links);
        var cache = HubCache.Locate(tree.Root);
        var located = HubLocator.Checkpoint($"{Repo}@step3000", tmp.Path, cache);
        Assert.Equal(tree.Snapshot(Repo, commit), located.Path);
        Assert.Equal((commit, 3000L), (located.Hub!.Commit, located.Hub.Reference.Step));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Fixture, "model.safetensors")), File.ReadAllBytes(Path.Combine(located.Path, "model.safetensors")));
        Assert.Equal(links, new FileInfo(Path.Combine(located.Path, "model.safetensors")).LinkTarget is not null);
        // A commit is a revision of its own, with no ref.
        Assert.Equal(located.Path, HubLocator.Checkpoint($"{Repo}@{commit}", tmp.Path, cache).Path);
    }

    [Fact]
    public void An_existing_local_path_wins_over_a_hub_name_and_hf_scheme_always_means_the_hub()
    {
        using var tmp = new TempFolder();
        var tree = new HubCacheTree(tmp.Sub("hub"));
        string commit = tree.Add(Repo, "main", Fixture);
        var cache = HubCache.Locate(tree.Root);
        string local = tmp.Sub(Repo);
        Assert.Equal(new LocatedInput(local, null), HubLocator.Checkpoint(Repo, tmp.Path, cache));
        Assert.Equal(tree.Snapshot(Repo, commit), HubLocator.Checkpoint("hf://" + Repo, tmp.Path, cache).Path);
        Assert.Equal(tree.Snapshot(Repo, commit), HubLocator.Checkpoint(Repo, tmp.Sub("elsewhere"), cache).Path);
    }

    [Fact]
    public void A_tokenizer_named_on_the_hub_is_its_snapshots_tokenizer_json()
    {
        using var tmp = new TempFolder();
        var tree = new HubCacheTree(tmp.Sub("hub"));
        string commit = tree.Add(Repo, "main", Fixture, links: true, SharedData.Tokenizer("pythia-8k"));
        var cache = HubCache.Locate(tree.Root);
        var tokenizer = HubLocator.Tokenizer(Repo, null, cache);
        Assert.Equal(Path.Combine(tree.Snapshot(Repo, commit), "tokenizer.json"), tokenizer.Path);
        Assert.Equal(Sha256File.Of(SharedData.Tokenizer("pythia-8k")), Sha256File.Of(tokenizer.Path));

        tree.Add("EleutherAI/no-tokenizer", "main", Fixture);
        var e = Assert.Throws<QuantaException>(() => HubLocator.Tokenizer("EleutherAI/no-tokenizer", null, cache));
        Assert.EndsWith($"has no tokenizer.json; download it with: huggingface-cli download EleutherAI/no-tokenizer tokenizer.json --revision main --cache-dir {tree.Root}", e.Message);
    }

    [Fact]
    public void Whatever_is_missing_is_one_line_with_the_exact_download_command()
    {
        using var tmp = new TempFolder();
        var tree = new HubCacheTree(tmp.Sub("hub"));
        string commit = tree.Add(Repo, "step1000", Fixture);
        var given = HubCache.Locate(tree.Root);
        var found = HubCache.Locate(null, name => name == "HF_HUB_CACHE" ? tree.Root : null);
        string repo = tree.RepoFolder(Repo);
        string Error(string name, HubCache cache) => Assert.Throws<QuantaException>(() => HubLocator.Checkpoint(name, tmp.Path, cache)).Message;

        Assert.Equal($"EleutherAI/pythia-160m@step1000: neither a local path ({tmp.Path}/EleutherAI/pythia-160m@step1000) nor in the Hugging Face cache {tree.Root} (no models--EleutherAI--pythia-160m); "
            + "download it with: huggingface-cli download EleutherAI/pythia-160m --revision step1000", Error("EleutherAI/pythia-160m@step1000", found));
        Assert.Equal($"EleutherAI/pythia-160m@main: not in the Hugging Face cache {tree.Root} (no models--EleutherAI--pythia-160m); "
            + $"download it with: huggingface-cli download EleutherAI/pythia-160m --revision main --cache-dir {tree.Root}", Error("hf://EleutherAI/pythia-160m", given));
        Assert.Equal($"{Repo}@step3000: revision step3000 is not in the Hugging Face cache (no {repo}/refs/step3000); "
            + $"download it with: huggingface-cli download {Repo} --revision step3000", Error($"{Repo}@step3000", found));

        string other = new string('a', 40);
        Assert.Equal($"{Repo}@{other}: commit {other} is not in the Hugging Face cache (no {repo}/snapshots/{other}); "
            + $"download it with: huggingface-cli download {Repo} --revision {other}", Error($"{Repo}@{other}", found));

        tree.SetRef(Repo, "step2000", other);
        Assert.Equal($"{Repo}@step2000: refs/step2000 names commit {other}, whose snapshot {repo}/snapshots/{other} is missing (an interrupted download); "
            + $"download it with: huggingface-cli download {Repo} --revision step2000", Error($"{Repo}@step2000", found));

        File.Delete(tree.BlobOf(Repo, commit, "model.safetensors"));
        Assert.Equal($"{Repo}@step1000: {repo}/snapshots/{commit}/model.safetensors links to a blob that is missing (an incomplete download); "
            + $"download it with: huggingface-cli download {Repo} --revision step1000", Error($"{Repo}@step1000", found));
        File.Delete(Path.Combine(tree.Snapshot(Repo, commit), "model.safetensors"));
        Assert.Equal($"{Repo}@step1000: the cached snapshot {repo}/snapshots/{commit} has no weights (model.safetensors, pytorch_model.bin or a sharded index); "
            + $"download it with: huggingface-cli download {Repo} --revision step1000", Error($"{Repo}@step1000", found));
        File.Delete(Path.Combine(tree.Snapshot(Repo, commit), "config.json"));
        Assert.Equal($"{Repo}@step1000: the cached snapshot {repo}/snapshots/{commit} has no config.json (a partial download); "
            + $"download it with: huggingface-cli download {Repo} --revision step1000", Error($"{Repo}@step1000", found));

        File.WriteAllText(Path.Combine(repo, "refs", "broken"), "not a commit\n");
        Assert.StartsWith($"{Repo}@broken: {repo}/refs/broken does not hold a 40-hex commit hash", Error($"{Repo}@broken", found));
    }

    [Fact]
    public void A_sharded_snapshot_needs_every_shard_its_index_names()
    {
        using var tmp = new TempFolder();
        var source = tmp.Sub("sharded");
        File.Copy(Path.Combine(Fixture, "config.json"), Path.Combine(source, "config.json"));
        File.WriteAllText(Path.Combine(source, "model.safetensors.index.json"), """{"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}""");
        File.Copy(Path.Combine(Fixture, "model.safetensors"), Path.Combine(source, "model-00001-of-00002.safetensors"));
        var tree = new HubCacheTree(tmp.Sub("hub"));
        string commit = tree.Add(Repo, "main", source);
        var e = Assert.Throws<QuantaException>(() => HubLocator.Checkpoint(Repo, null, HubCache.Locate(tree.Root)));
        Assert.StartsWith($"{Repo}@main: the cached snapshot {tree.Snapshot(Repo, commit)} has no model-00002-of-00002.safetensors (a partial download)", e.Message);
    }

    [Theory]
    [InlineData("EleutherAI/pythia-{70m,160m}", "EleutherAI/pythia-70m EleutherAI/pythia-160m")]
    [InlineData("a{b,c}{d,e}", "abd abe acd ace")]
    [InlineData("x{a,b{1,2}}", "xa xb1 xb2")]
    [InlineData("step{1000..3000..1000}", "step1000 step2000 step3000")]
    [InlineData("s{3..1}", "s3 s2 s1")]
    [InlineData("plain", "plain")]
    [InlineData("empty{,x}", "empty emptyx")]
    public void Brace_expansion_expands_lists_and_ranges_as_the_shell_does(string pattern, string expected) =>
        Assert.Equal(expected.Split(' '), BraceExpansion.Expand(pattern));

    [Theory]
    [InlineData("a{b,c")]
    [InlineData("a}b{c,d}")]
    [InlineData("a{b}")]
    [InlineData("a{1..5..0}")]
    [InlineData("a{0..100000000}")]
    public void Malformed_braces_are_refused(string pattern) =>
        Assert.Throws<FormatException>(() => BraceExpansion.Expand(pattern));

    [Fact]
    public void A_suite_is_sizes_times_steps()
    {
        var members = HubSuite.Expand("EleutherAI/pythia-{70m,160m}", ["step1000", "step3000"]);
        Assert.Equal(["EleutherAI/pythia-70m@step1000", "EleutherAI/pythia-70m@step3000", "EleutherAI/pythia-160m@step1000", "EleutherAI/pythia-160m@step3000"],
            members.Select(m => m.ToString()));
        Assert.Equal(["pythia-70m-step1", "pythia-70m-step2"], HubSuite.Expand("EleutherAI/pythia-70m@step{1,2}", null).Select(m => m.DefaultModelName));
        Assert.Throws<FormatException>(() => HubSuite.Expand("EleutherAI/pythia-70m@main", ["step1"]));
        Assert.Throws<FormatException>(() => HubSuite.Expand("EleutherAI/{a,b/c}", null));
    }
}
