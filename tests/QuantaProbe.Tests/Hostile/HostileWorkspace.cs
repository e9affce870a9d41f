using System.Text.Json.Nodes;

namespace QuantaProbe.Tests.Hostile;

/// <summary>A temporary folder with helpers to copy real inputs into it and break them.</summary>
internal sealed class HostileWorkspace(TempFolder folder)
{
    public static readonly string Tokenizer = SharedData.Tokenizer("pythia-8k");
    public const string SmallModel = "pythia8k-h32-l2-step1200";
    public const string TinyFixture = "neox-tiny-parallel-f32";

    public string Root => folder.Path;

    public string PathOf(string relative) => Path.Combine(folder.Path, relative);

    public string Write(string relative, string text) => folder.File(relative, text);

    public string Write(string relative, byte[] bytes)
    {
        var path = folder.File(relative);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A copy of a shared fixture checkpoint (config.json + model.safetensors) that the case may break.</summary>
    public string FixtureCheckpoint(string fixture = TinyFixture)
    {
        var target = folder.Sub("checkpoint");
        foreach (var name in new[] { "config.json", "model.safetensors" })
            File.Copy(Path.Combine(SharedData.Root, "fixtures", fixture, name), Path.Combine(target, name));
        return target;
    }

    public void EditConfig(string checkpoint, Action<JsonObject> edit)
    {
        var path = Path.Combine(checkpoint, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    /// <summary>A copy of the scored base run (ingested, one model exported, scored, gradients taken).</summary>
    public string ScoredRun() => BaseRun.CopyTo(PathOf("run"));

    /// <summary>A small valid corpus of held-out documents.</summary>
    public string Corpus(int documents = 8) =>
        Write("corpus.jsonl", string.Join("\n", File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(documents)) + "\n");

    public string[] Ingest(string corpus, string tokenizer, string output = "run") =>
        ["ingest", "--corpus", corpus, "--tokenizer", tokenizer, "--out", PathOf(output), "--context-length", "64"];

    public string[] Export(string checkpoint) => ["export", "--checkpoint", checkpoint, "--out", PathOf("run/models")];

    public string[] UntrustedExport(string name = "checkpoint") => [PathOf($"run/models/{name}/model.json"), PathOf("run/models/family.json")];
}
