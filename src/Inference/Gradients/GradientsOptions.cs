using QuantaProbe.Core;
using QuantaProbe.Core.Options;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Onnx;

namespace QuantaProbe.Gradients;

public sealed record GradientsOptions
{
    public required string RunFolder { get; init; }
    /// <summary>The model whose per-token gradients are taken.</summary>
    public required string Model { get; init; }
    /// <summary>The model whose losses select the tokens; null: the family's smallest.</summary>
    public string? SelectionModel { get; init; }
    public SelectionOptions Selection { get; init; } = new();
    /// <summary>Exact gradients (small models and tests) or Kronecker sketches of k_in × k_out per matrix, with a projection seed.</summary>
    public GradientOptions Gradient { get; init; } = GradientOptions.Sketch();
    public int SamplesPerPart { get; init; } = 1024;
    /// <summary>Padded tokens per batch of examples.</summary>
    public int BatchTokens { get; init; } = Settings.BatchTokens.Default;
    public InferenceDevice Device { get; init; } = InferenceDevice.Cpu;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public int? Threads { get; init; }

    internal void Validate()
    {
        Gradient.Validate();
        if (SamplesPerPart < 1)
            throw new QuantaException($"gradients: {nameof(SamplesPerPart)} {SamplesPerPart} must be at least 1 (an option of the library call, not a flag)");
        Settings.BatchTokens.Check(BatchTokens);
        RunLevelSettings.Threads.Check(Threads);
    }

    /// <summary>
    /// The settings of <c>quanta gradients</c>, the token selection's and the sketch's among them; the run
    /// config's <c>gradients</c> object (device, threads and shard are top-level keys).
    /// </summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("gradients", section: "gradients");

        public static readonly Setting<string?> Run = Group.Add("run", (string?)null, SettingFormats.Path,
            "The run folder (after ingest, export and infer)", place: SettingPlace.Cli, cliRequired: true);

        public static readonly Setting<string?> Model = Group.Add("model", (string?)null, SettingFormats.Text,
            "The model whose per-token gradients are taken (a run config's default: the family's largest, its latest step)", cliRequired: true);

        public static readonly Setting<string?> SelectModel = Group.Add("select_model", (string?)null, SettingFormats.Text,
            "The model whose losses select the tokens", defaultHelp: "the family's smallest");

        public static readonly Setting<int> BatchTokens = Group.Add("batch_tokens", RunLevelSettings.DefaultBatchTokens, SettingFormats.Int,
            "Padded tokens per batch", SettingGroup.Between(2, SettingGroup.MaxTokens));

        public static readonly Setting<bool> Enabled = Group.Add("enabled", true, SettingFormats.Bool,
            "false: the run stops after infer's losses and decompose's scaling fits (no QDG)", place: SettingPlace.Config);

        public static IReadOnlyList<Setting> All { get; } = Group
            .Include(SelectionOptions.Settings.All)
            .Include(GradientOptions.Settings.All)
            .Include([InferenceDeviceSetting.Device, RunLevelSettings.Shard, RunLevelSettings.Threads]).All;
    }
}

public sealed record GradientsResult(string Model, int Samples, long PartsWritten, long PartsSkipped, long GradientsComputed, bool Complete, string Folder);

public readonly record struct GradientsProgress(long Done, long Total);
