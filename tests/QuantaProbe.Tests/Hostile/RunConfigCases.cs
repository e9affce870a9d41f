namespace QuantaProbe.Tests.Hostile;

/// <summary>Broken run configs, through `quanta run` (the reader's unit tests cover each key; these check the command end to end).</summary>
internal static class RunConfigCases
{
    public static readonly HostileCase[] All =
    [
        Config("run config: not JSON", "config.json", "{ \"run_folder\": \"run\", \"corpus\": ", null),
        Config("run config: not YAML", "config.yaml", "run_folder: run\ncorpus: [unclosed\n  - : :\n", null),
        Config("run config: binary garbage", "config.json", "\u0001\u0002PK\u0003\u0004", null),
        Config("run config: context_length a string", "config.json", """{"run_folder": "run", "corpus": "c.jsonl", "tokenizer": "t.json", "context_length": "long", "family": ["m"]}""", "context_length"),
        Config("run config: family a number", "config.yaml", "run_folder: run\ncorpus: c.jsonl\ntokenizer: t.json\nfamily: 3\n", "family"),
        Config("run config: the root is a list", "config.yaml", "- run_folder: run\n- corpus: c.jsonl\n", null),
        Config("run config: a key given twice", "config.json", """{"run_folder": "run", "run_folder": "run2", "corpus": "c.jsonl", "tokenizer": "t.json", "family": ["m"]}""", "Duplicate property 'run_folder'"),
        Config("run config: a YAML key that is a list", "config.yaml", "? [run_folder]\n: run\ncorpus: c.jsonl\n", "a key must be a plain name"),
        Config("run config: run_folder empty", "config.json", """{"run_folder": "", "corpus": "c.jsonl", "tokenizer": "t.json", "family": ["m"]}""", "run_folder \"\": must be a path"),
        Config("run config: select file without selection_file", "config.json", """{"run_folder": "run", "corpus": "c.jsonl", "tokenizer": "t.json", "family": ["m"], "gradients": {"select": "file"}}""", "selection_file"),
        Config("run config: decompose restarts 0", "config.json", """{"run_folder": "run", "corpus": "c.jsonl", "tokenizer": "t.json", "family": ["m"], "decompose": {"restarts": 0}}""", "decompose restarts (--restarts) 0: must be between 1 and"),
        Config("run config: infer batch_tokens 2^31-1", "config.json", """{"run_folder": "run", "corpus": "c.jsonl", "tokenizer": "t.json", "family": ["m"], "infer": {"batch_tokens": 2147483647}}""", "infer batch_tokens (--batch-tokens) 2147483647: must be between 2 and"),
    ];

    private static HostileCase Config(string name, string file, string text, string? phrase) =>
        new(name, w =>
        {
            var config = w.Write(file, text);
            return new HostileInvocation(["run", config], config, phrase, [w.PathOf("run/run.json"), w.PathOf("run/ingest.json")]);
        });
}
