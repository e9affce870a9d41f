using System.Text.Json.Nodes;

namespace QuantaProbe.Tests.Hostile;

/// <summary>Broken config.json of a checkpoint, through `quanta export --checkpoint` (and `quanta infer` for the vocabulary).</summary>
internal static class CheckpointConfigCases
{
    public static readonly HostileCase[] All =
    [
        new("config.json: missing", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            File.Delete(Path.Combine(checkpoint, "config.json"));
            return new HostileInvocation(w.Export(checkpoint), Path.Combine(checkpoint, "config.json"), "not found", w.UntrustedExport());
        }),
        Text("config.json: not JSON", "{ \"model_type\": \"gpt_neox\", hidden_size: 64 ", "not valid JSON"),
        Text("config.json: an array, not an object", "[1, 2, 3]", "object"),
        Edit("config.json: hidden_size missing", c => c.Remove("hidden_size"), "'hidden_size' is missing"),
        Edit("config.json: num_attention_heads missing", c => c.Remove("num_attention_heads"), "'num_attention_heads' is missing"),
        Edit("config.json: hidden_size 0", c => c["hidden_size"] = 0, "'hidden_size' is 0"),
        Edit("config.json: hidden_size negative", c => c["hidden_size"] = -64, "'hidden_size' is -64"),
        Edit("config.json: hidden_size 1e12", c => c["hidden_size"] = 1e12, "hidden_size"),
        Edit("config.json: hidden_size a string", c => c["hidden_size"] = "64", "'hidden_size' must be an integer"),
        Edit("config.json: num_attention_heads does not divide hidden_size", c => c["num_attention_heads"] = 5, "not a multiple"),
        Edit("config.json: rotary_pct 2", c => c["rotary_pct"] = 2, "rotary_pct 2"),
        Edit("config.json: model_type llama", c => c["model_type"] = "llama", "'llama'"),
        Edit("config.json: max_position_embeddings 0", c => c["max_position_embeddings"] = 0, "max_position_embeddings 0"),
        Edit("config.json: max_position_embeddings negative", c => c["max_position_embeddings"] = -2048, "max_position_embeddings -2048"),
        Edit("config.json: num_hidden_layers 10^9", c => c["num_hidden_layers"] = 1_000_000_000, "num_hidden_layers"),
        Edit("config.json: sparse_parity_mlp with n_tasks 0", c => Mlp(c, tasks: 0, hidden: 32), "'n_tasks' is 0"),
        Edit("config.json: sparse_parity_mlp with hidden_size 2^40", c => Mlp(c, tasks: 4, hidden: 1L << 40), "'hidden_size' is"),
        new("config.json: vocab_size smaller than the tokenizer's ids", w =>
        {
            // The tiny fixture has 512 ids; the run was ingested with an 8k tokenizer.
            var run = w.ScoredRun();
            var checkpoint = w.FixtureCheckpoint();
            var (code, _, err) = QuantaProcess.Run("export", "--checkpoint", checkpoint, "--name", "tiny", "--out", Path.Combine(run, "models"));
            Assert.True(code == 0, err);
            return new HostileInvocation(["infer", "--run", run, "--models", "tiny", "--threads", "1"],
                Path.Combine(run, "models", "tiny", "loss.onnx"), "outside the model's vocabulary of 512", [Path.Combine(run, "losses", "model=tiny", "part-00000.parquet")]);
        }),
    ];

    private static void Mlp(JsonObject c, long tasks, long hidden)
    {
        c.Clear();
        c["model_type"] = "sparse_parity_mlp";
        c["n_tasks"] = tasks;
        c["n_bits"] = 8;
        c["hidden_size"] = hidden;
    }

    private static HostileCase Edit(string name, Action<JsonObject> edit, string phrase) =>
        new(name, w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            w.EditConfig(checkpoint, edit);
            return new HostileInvocation(w.Export(checkpoint), Path.Combine(checkpoint, "config.json"), phrase, w.UntrustedExport());
        });

    private static HostileCase Text(string name, string text, string phrase) =>
        new(name, w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            File.WriteAllText(Path.Combine(checkpoint, "config.json"), text);
            return new HostileInvocation(w.Export(checkpoint), Path.Combine(checkpoint, "config.json"), phrase, w.UntrustedExport());
        });
}
