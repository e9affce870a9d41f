using QuantaProbe.Core.Options;

namespace QuantaProbe.Decompose.Laws;

/// <summary>How the learning rate decays after warm-up.</summary>
public enum LearningRateDecay
{
    Cosine,
    Linear,
    Constant,
}

/// <summary>
/// A family's learning-rate schedule (the run config's <c>schedule</c> object; every size shares it): linear
/// warm-up from 0 to the peak over steps 1…warmup_steps, then cosine or linear decay from the peak to the final
/// rate at decay_steps (held there after), never below the minimum. Gives η_t and the cumulative rate
/// τ(step) = Σ_{t=1..step} η_t of one-third time scaling, and tokens seen = step × tokens_per_step.
/// </summary>
public sealed record LearningRateSchedule
{
    public string? Optimizer { get; init; }
    public int WarmupSteps { get; init; }
    public required double PeakRate { get; init; }
    public double FinalRate { get; init; }
    public double MinRate { get; init; }
    public LearningRateDecay Decay { get; init; } = LearningRateDecay.Cosine;
    /// <summary>The step at which the decay reaches the final rate.</summary>
    public required long DecaySteps { get; init; }
    /// <summary>Sequences × tokens per sequence of one step; null when unknown (no data exponent then).</summary>
    public long? TokensPerStep { get; init; }

    /// <summary>η_t of step t ≥ 1.</summary>
    public double Rate(long step)
    {
        double rate;
        if (step <= WarmupSteps)
            rate = PeakRate * step / WarmupSteps;
        else if (step >= DecaySteps || Decay == LearningRateDecay.Constant)
            rate = step >= DecaySteps && Decay != LearningRateDecay.Constant ? FinalRate : PeakRate;
        else
        {
            double progress = (double)(step - WarmupSteps) / (DecaySteps - WarmupSteps);
            double shape = Decay == LearningRateDecay.Cosine ? (1 + Math.Cos(Math.PI * progress)) / 2 : 1 - progress;
            rate = FinalRate + (PeakRate - FinalRate) * shape;
        }
        return Math.Max(rate, MinRate);
    }

    /// <summary>τ(step) = Σ_{t=1..step} η_t.</summary>
    public double CumulativeRate(long step)
    {
        double tau = 0;
        for (long t = 1; t <= step; t++)
            tau += Rate(t);
        return tau;
    }

    public void Validate()
    {
        Settings.WarmupSteps.Check(WarmupSteps);
        Settings.PeakRate.Check(PeakRate);
        Settings.FinalRate.Check(FinalRate);
        Settings.MinRate.Check(MinRate);
        Settings.DecaySteps.Check(DecaySteps);
        if (DecaySteps <= WarmupSteps)
            throw Settings.DecaySteps.Invalid(DecaySteps.ToString(System.Globalization.CultureInfo.InvariantCulture), $"must be after the warm-up ({Settings.WarmupSteps.Name} {WarmupSteps})");
        if (FinalRate > PeakRate || MinRate > PeakRate)
            throw Settings.FinalRate.Invalid(Settings.FinalRate.Format.Show(FinalRate), $"the final and minimum rates must not exceed {Settings.PeakRate.Name} {Settings.PeakRate.Format.Show(PeakRate)}");
    }

    /// <summary>
    /// The schedule's settings: the run config's <c>schedule</c> object, <c>quanta decompose</c>'s flags. Without
    /// <c>peak_lr</c> there is no schedule (one-third time scaling says so in summary.json).
    /// </summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("schedule", section: "schedule");

        public static readonly Setting<string?> Optimizer = Group.Add("optimizer", (string?)null, SettingFormats.Text, "The optimizer the family was trained with (recorded, e.g. AdamW)");

        public static readonly Setting<double?> PeakRate = Group.Add("peak_lr", (double?)null, SettingFormats.Optional(SettingFormats.Double),
            "Peak learning rate of the family's schedule (one-third time scaling needs it)", v => v is null || (v > 0 && double.IsFinite(v.Value)) ? null : "must be a positive number");

        public static readonly Setting<int> WarmupSteps = Group.Add("warmup_steps", 0, SettingFormats.Int, "Steps of linear warm-up from 0 to the peak", SettingGroup.Between(0, 1 << 30));

        public static readonly Setting<LearningRateDecay> DecayShape = Group.Add("decay", LearningRateDecay.Cosine,
            SettingFormats.Choice(("cosine", LearningRateDecay.Cosine), ("linear", LearningRateDecay.Linear), ("constant", LearningRateDecay.Constant)),
            "Shape of the decay after warm-up: cosine, linear or constant");

        public static readonly Setting<long?> DecaySteps = Group.Add("decay_steps", (long?)null, SettingFormats.OptionalLong,
            "The step where the decay reaches final_lr (the training's last step)", v => v is null or >= 1 ? null : "must be at least 1");

        public static readonly Setting<double> FinalRate = Group.Add("final_lr", 0.0, SettingFormats.Double, "Learning rate at decay_steps",
            v => v >= 0 && double.IsFinite(v) ? null : "must be zero or a positive number");

        public static readonly Setting<double> MinRate = Group.Add("min_lr", 0.0, SettingFormats.Double, "Floor of the learning rate",
            v => v >= 0 && double.IsFinite(v) ? null : "must be zero or a positive number");

        public static readonly Setting<long?> TokensPerStep = Group.Add("tokens_per_step", (long?)null, SettingFormats.OptionalLong,
            "Tokens of one training step (sequences × sequence length)", v => v is null or >= 1 ? null : "must be at least 1");

        public static IReadOnlyList<Setting> All => Group.All;

        /// <summary>The schedule given, or null when <c>peak_lr</c> is not.</summary>
        public static LearningRateSchedule? From(ISettingSource source)
        {
            if (source.Get(PeakRate) is not { } peak)
            {
                // A key given at its default (as a config listing every key does) is no schedule; another value without the peak is an error.
                bool Given<T>(Setting<T> s) => source.Has(s) && !EqualityComparer<T>.Default.Equals(source.Get(s), s.Default);
                Setting? given = Given(Optimizer) ? Optimizer : Given(WarmupSteps) ? WarmupSteps : Given(DecayShape) ? DecayShape : Given(DecaySteps) ? DecaySteps
                    : Given(FinalRate) ? FinalRate : Given(MinRate) ? MinRate : Given(TokensPerStep) ? TokensPerStep : null;
                return given is null ? null : throw given.Invalid("given", $"needs {PeakRate.Name} (a schedule without its peak rate)");
            }
            var schedule = new LearningRateSchedule
            {
                Optimizer = source.Get(Optimizer),
                PeakRate = peak,
                WarmupSteps = source.Get(WarmupSteps),
                Decay = source.Get(DecayShape),
                DecaySteps = source.Get(DecaySteps) ?? throw DecaySteps.Invalid("missing", $"is required with {PeakRate.Name}: the step where the decay ends"),
                FinalRate = source.Get(FinalRate),
                MinRate = source.Get(MinRate),
                TokensPerStep = source.Get(TokensPerStep),
            };
            schedule.Validate();
            return schedule;
        }
    }
}
