using QuantaProbe.Core.Options;

namespace QuantaProbe.Export;

/// <summary>
/// The settings of <c>quanta export</c>. A run config names the same things per member of its
/// <c>family</c> list (<c>checkpoint</c>, <c>onnx</c>, <c>name</c>, <c>step</c>) and exports into its run folder.
/// </summary>
public static class ExportOptions
{
    public static class Settings
    {
        private static readonly SettingGroup Group = new("export", section: null);

        public static readonly Setting<IReadOnlyList<string>> Checkpoint = Group.Add("checkpoint", (IReadOnlyList<string>)[], SettingFormats.TextList,
            "HF GPT-NeoX checkpoint folder, or a hub name ORG/NAME[@REVISION] from the local hub cache (repeat for a family)", place: SettingPlace.Cli);

        public static readonly Setting<string?> Onnx = Group.Add("onnx", (string?)null, SettingFormats.Path,
            "An existing ONNX decoder with a 'logits' output, instead of --checkpoint", place: SettingPlace.Cli);

        public static readonly Setting<string?> Name = Group.Add("name", (string?)null, SettingFormats.Text,
            "Model name; only with one model", place: SettingPlace.Cli, defaultHelp: "the checkpoint folder's name, or NAME-REVISION for a hub name");

        public static readonly Setting<long?> Step = Group.Add("step", (long?)null, SettingFormats.OptionalLong,
            "Training step", v => v is null or >= 0 ? null : "must be at least 0", place: SettingPlace.Cli,
            defaultHelp: "the hub revision's stepN, config.json's training_step or 'stepN' in the folder name");

        public static readonly Setting<string?> Out = Group.Add("out", (string?)null, SettingFormats.Path,
            "The family folder, RUN/models", place: SettingPlace.Cli, cliRequired: true);

        public static readonly Setting<bool> Force = Group.Add("force", false, SettingFormats.Bool,
            "Export again even where models/<name>/model.json exists", place: SettingPlace.Cli);

        public static IReadOnlyList<Setting> All { get; } = Group.Include([RunLevelSettings.CacheDir]).All;
    }
}
