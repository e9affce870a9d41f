using QuantaProbe.Core.Options;

namespace QuantaProbe.Decompose.Laws;

/// <summary>Settings of the corpus-statistics exponents: lags of the co-occurrence covariance, fit ranges, resamples.</summary>
public sealed record CorpusExponentOptions
{
    /// <summary>n_max: C_n is computed for n = 1…n_max.</summary>
    public int MaxLag { get; init; } = Settings.MaxLag.Default;
    /// <summary>Lags whose σ₁ the power law n^−β is fitted over; null: 1 up to the last lag above twice the noise floor.</summary>
    public (int First, int Last)? BetaLags { get; init; }
    /// <summary>Context lengths H_n is fitted over; null: see <see cref="Settings.GammaPositions"/>'s default.</summary>
    public (int First, int Last)? GammaPositions { get; init; }
    /// <summary>β is measured on at most this many tokens (the first, in document order).</summary>
    public long MaxTokens { get; init; } = Settings.MaxTokens.Default;
    /// <summary>Half-samples of the documents for β's interval (each recomputes every C_n).</summary>
    public int Resamples { get; init; } = Settings.Resamples.Default;

    public void Validate()
    {
        Settings.MaxLag.Check(MaxLag);
        Settings.BetaLags.Check(BetaLags);
        Settings.GammaPositions.Check(GammaPositions);
        Settings.MaxTokens.Check(MaxTokens);
        Settings.Resamples.Check(Resamples);
        if (BetaLags is { } r && r.Last > MaxLag)
            throw Settings.BetaLags.Invalid(Settings.BetaLags.Format.Show(BetaLags), $"goes past {Settings.MaxLag.Name} {MaxLag}");
    }

    public static class Settings
    {
        private static readonly SettingGroup Group = new("decompose", section: "decompose");

        public static readonly Setting<int> MaxLag = Group.Add("corpus_lags", 64, SettingFormats.Int,
            "Corpus exponents: lags n = 1…N of the co-occurrence covariance C_n", SettingGroup.Between(2, 4096));

        public static readonly Setting<(int First, int Last)?> BetaLags = Group.Add("beta_lags", ((int First, int Last)?)null, SettingFormats.IntRange,
            "Corpus exponents: lags FIRST-LAST of the fit σ₁(C_n) ∝ n^-β", r => r is not { } v || (v.First >= 1 && v.Last > v.First) ? null : "must have 1 ≤ FIRST < LAST",
            defaultHelp: "1 to the last lag above twice the noise floor");

        public static readonly Setting<(int First, int Last)?> GammaPositions = Group.Add("gamma_positions", ((int First, int Last)?)null, SettingFormats.IntRange,
            "Corpus exponents: context lengths FIRST-LAST of the fit H_n − H_∞ ∝ n^-γ", r => r is not { } v || (v.First >= 1 && v.Last > v.First + 1) ? null : "must have 1 ≤ FIRST and LAST ≥ FIRST + 2",
            defaultHelp: "with a context probe, the lengths probed with a fifth of the most-probed length's targets; else 1 to the last position that a fifth of the documents reach");

        public static readonly Setting<long> MaxTokens = Group.Add("corpus_max_tokens", 20_000_000L, new SettingFormat<long>(SettingFormats.OptionalLong.Expected,
                (string t, out long v) => { bool ok = SettingFormats.OptionalLong.TryParse(t, out long? x); v = x ?? 0; return ok; },
                (System.Text.Json.Nodes.JsonNode n, out long v) => { bool ok = SettingFormats.OptionalLong.TryRead(n, out long? x); v = x ?? 0; return ok; },
                v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "Corpus exponents: the first this many tokens give β", v => v >= 1000 ? null : "must be at least 1000");

        public static readonly Setting<int> Resamples = Group.Add("corpus_resamples", 30, SettingFormats.Int,
            "Corpus exponents: half-samples of the documents for β's interval (each recomputes every C_n)", SettingGroup.Between(1, 10_000));

        public static IReadOnlyList<Setting> All => Group.All;

        public static CorpusExponentOptions From(ISettingSource source)
        {
            var options = new CorpusExponentOptions
            {
                MaxLag = source.Get(MaxLag), BetaLags = source.Get(BetaLags), GammaPositions = source.Get(GammaPositions),
                MaxTokens = source.Get(MaxTokens), Resamples = source.Get(Resamples),
            };
            options.Validate();
            return options;
        }
    }
}
