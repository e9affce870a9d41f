using QuantaProbe.Core;
using QuantaProbe.Core.Options;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Onnx;

namespace QuantaProbe.Infer;

public sealed record InferOptions
{
    public required string RunFolder { get; init; }
    /// <summary>Names from models/family.json; null: every model of the family.</summary>
    public IReadOnlyList<string>? Models { get; init; }
    public InferenceDevice Device { get; init; } = InferenceDeviceSetting.Device.Default;
    /// <summary>Padded tokens per batch (batch size × padded length).</summary>
    public int BatchTokens { get; init; } = Settings.BatchTokens.Default;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public int? Threads { get; init; }
    /// <summary>The context probe (<see cref="ContextProbeStage"/>); run when <see cref="ContextProbeOptions.Enabled"/>.</summary>
    public ContextProbeOptions ContextProbe { get; init; } = new();

    internal void Validate()
    {
        Settings.BatchTokens.Check(BatchTokens);
        RunLevelSettings.Threads.Check(Threads);
        ContextProbe.Validate();
    }

    /// <summary>The settings of <c>quanta infer</c>; the run config's <c>infer</c> object (device and threads are top-level keys).</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("infer", section: "infer");

        public static readonly Setting<string?> Run = Group.Add("run", (string?)null, SettingFormats.Path,
            "The run folder (after ingest and export)", place: SettingPlace.Cli, cliRequired: true);

        public static readonly Setting<IReadOnlyList<string>?> Models = Group.Add("models", (IReadOnlyList<string>?)null, SettingFormats.Names,
            "Comma-separated model names", place: SettingPlace.Cli, defaultHelp: "the whole family");

        public static readonly Setting<int> BatchTokens = Group.Add("batch_tokens", RunLevelSettings.DefaultBatchTokens, SettingFormats.Int,
            "Padded tokens per batch (the [batch, length, vocab] logits live inside ONNX Runtime: raise it on a GPU)", SettingGroup.Between(2, SettingGroup.MaxTokens));

        public static IReadOnlyList<Setting> All { get; } =
            Group.Include(ContextProbeOptions.Settings.All).Include([InferenceDeviceSetting.Device, RunLevelSettings.Shard, RunLevelSettings.Threads]).All;
    }
}

/// <param name="ExecutionProvider">The ONNX Runtime provider the scoring ran on; null when every part was already complete.</param>
public sealed record InferResult(IReadOnlyList<string> Models, long PartsWritten, long PartsSkipped, long TokensScored, bool Complete, string? ExecutionProvider = null);

/// <summary>Tokens scored so far by this process, out of the tokens its parts hold.</summary>
public readonly record struct InferProgress(string Model, long TokensDone, long TokensTotal);
