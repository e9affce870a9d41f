namespace QuantaProbe.Core.Options;

/// <summary>Settings every stage that takes them reads alike; top-level keys of a run config.</summary>
public static class RunLevelSettings
{
    private static readonly SettingGroup Group = new(stage: null, section: null);

    /// <summary>The default of infer's and of gradients' batch_tokens (each stage has its own setting).</summary>
    public const int DefaultBatchTokens = 2048;

    public static readonly Setting<int?> Threads = Group.Add("threads", (int?)null, SettingFormats.OptionalInt,
        "ONNX Runtime intra-op and tokenizer threads", SettingGroup.BetweenOrUnset(1, 1024), defaultHelp: "all cores");

    public static readonly Setting<ShardSpec> Shard = Group.Add("shard", ShardSpec.All, SettingFormats.Shard,
        "i/n: this process handles only the parts of shard i of n; start all n, on one machine or many sharing the run folder",
        defaultHelp: "the whole run");

    public static readonly Setting<string?> CacheDir = Group.Add("cache_dir", (string?)null, SettingFormats.Path,
        "The Hugging Face hub cache that hub names ORG/NAME[@REVISION] are read from",
        defaultHelp: "HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub");
}
