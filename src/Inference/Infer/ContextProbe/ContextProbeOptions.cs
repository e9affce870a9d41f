using QuantaProbe.Core.Options;

namespace QuantaProbe.Infer;

/// <summary>
/// The context probe of <c>quanta infer</c>: for each context length n of a grid, targets sampled uniformly over the tokens
/// with at least n tokens of their own document before them, each scored by the family's best model from a window of
/// exactly those n tokens (γ of decompose's corpus exponents, as Cagnetta et al. define H_n).
/// </summary>
public sealed record ContextProbeOptions
{
    public bool Enabled { get; init; } = Settings.Enabled.Default;
    /// <summary>The context lengths n, ascending; null: <see cref="ContextLengthGrid.LogSpaced"/> up to <see cref="MaxContextLength"/>.</summary>
    public IReadOnlyList<int>? ContextLengths { get; init; }
    /// <summary>The default grid's last n; null: the longest document's last position (at most context_length − 1).</summary>
    public int? MaxContextLength { get; init; }
    /// <summary>Targets per context length (all eligible tokens when fewer).</summary>
    public int Targets { get; init; } = Settings.Targets.Default;
    public int Seed { get; init; } = Settings.Seed.Default;

    internal void Validate()
    {
        Settings.ContextLengths.Check(ContextLengths);
        Settings.MaxContextLength.Check(MaxContextLength);
        Settings.Targets.Check(Targets);
        if (ContextLengths is not null && MaxContextLength is not null)
            throw Settings.MaxContextLength.Invalid(MaxContextLength.Value.ToString(), $"sets the default grid's end; with {Settings.ContextLengths.Name} give one of the two");
    }

    /// <summary>The probe's settings: flags of <c>quanta infer</c>, keys of the run config's <c>infer</c> object.</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("infer", section: "infer");

        private static readonly SettingFormat<IReadOnlyList<int>?> Lengths = new(SettingFormats.IntList.Expected,
            (string t, out IReadOnlyList<int>? v) => { bool ok = SettingFormats.IntList.TryParse(t, out var list); v = ok ? list : null; return ok; },
            (System.Text.Json.Nodes.JsonNode n, out IReadOnlyList<int>? v) => { bool ok = SettingFormats.IntList.TryRead(n, out var list); v = ok ? list : null; return ok; },
            v => v is null ? "" : SettingFormats.IntList.Show(v));

        public static readonly Setting<bool> Enabled = Group.Add("context_probe", false, SettingFormats.Bool,
            "Also score sampled targets from windows of exactly n tokens of context with the family's best model → context/model=<m>/ (decompose's γ)");

        public static readonly Setting<IReadOnlyList<int>?> ContextLengths = Group.Add("context_lengths", (IReadOnlyList<int>?)null, Lengths,
            "The context probe's context lengths n, ascending",
            v => v is null || (v.Count > 0 && v[0] >= 1 && v[^1] <= SettingGroup.MaxTokens && v.Zip(v.Skip(1)).All(p => p.First < p.Second))
                ? null : $"must be ascending whole numbers from 1 to {SettingGroup.MaxTokens}",
            defaultHelp: "1, 2, 3, 4, 6, 8, 11, 16, … (√2 apart) up to context_max");

        public static readonly Setting<int?> MaxContextLength = Group.Add("context_max", (int?)null, SettingFormats.OptionalInt,
            "The context probe's longest context n (the default grid's end): the model's training context − 1 keeps the probe inside the positions it learned",
            SettingGroup.BetweenOrUnset(1, SettingGroup.MaxTokens), defaultHelp: "the longest document's last position, at most context_length − 1");

        public static readonly Setting<int> Targets = Group.Add("context_targets", 2000, SettingFormats.Int,
            "The context probe's targets per context length", SettingGroup.Between(1, 1_000_000));

        public static readonly Setting<int> Seed = Group.Add("context_seed", 0, SettingFormats.Int, "The context probe's sampling seed");

        public static IReadOnlyList<Setting> All => Group.All;

        public static ContextProbeOptions From(ISettingSource source)
        {
            var options = new ContextProbeOptions
            {
                Enabled = source.Get(Enabled), ContextLengths = source.Get(ContextLengths), MaxContextLength = source.Get(MaxContextLength), Targets = source.Get(Targets), Seed = source.Get(Seed),
            };
            options.Validate();
            return options;
        }
    }
}
