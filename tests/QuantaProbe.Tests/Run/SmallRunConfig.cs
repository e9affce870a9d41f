namespace QuantaProbe.Tests.Run;

/// <summary>A run config over 48 held-out documents (64 tokens, parts of 16) and three small models of the shared family.</summary>
internal static class SmallRunConfig
{
    public static readonly string[] Models = ["pythia8k-h32-l2-step200", "pythia8k-h32-l2-step1200", "pythia8k-h64-l2"];

    /// <summary>Writes corpus.jsonl and config.json into <paramref name="folder"/>; returns the config's path.</summary>
    public static string Write(string folder, string runFolder = "run", int documents = 48, int docsPerPart = 16, string[]? models = null, int samples = 96, bool report = true)
    {
        File.WriteAllLines(Path.Combine(folder, "corpus.jsonl"), File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(documents));
        var family = string.Join(",\n    ", (models ?? Models).Select(m => $"\"{Path.Combine(SharedData.Root, "models", m)}\""));
        string config = Path.Combine(folder, "config.json");
        File.WriteAllText(config, $$"""
            {
              // paths are relative to this file
              "run_folder": "{{runFolder}}",
              "corpus": "corpus.jsonl",
              "tokenizer": "{{SharedData.Tokenizer("pythia-8k")}}",
              "context_length": 64,
              "docs_per_part": {{docsPerPart}},
              "family": [
                {{family}}
              ],
              "threads": 1,
              "gradients": { "select": "random", "n": {{samples}}, "seed": 1, "k_in": 4, "k_out": 4 },
              "decompose": { "k": [2, 4, 8], "reference_k": 4, "resamples": 20, "qdg_resamples": 20 },
              "report": {{(report ? "true" : "false")}}
            }
            """);
        return config;
    }
}
