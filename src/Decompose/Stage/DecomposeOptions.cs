using QuantaProbe.Core;
using QuantaProbe.Core.Options;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Qdg;

namespace QuantaProbe.Decompose.Stage;

public sealed record DecomposeOptions
{
    public required string RunFolder { get; init; }
    public int Seed { get; init; } = Settings.Seed.Default;
    /// <summary>Bootstrap resamples over documents for every interval.</summary>
    public int Resamples { get; init; } = Settings.Resamples.Default;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    /// <summary>QDG settings (its seed is <see cref="Seed"/>).</summary>
    public QdgOptions Qdg { get; init; } = new();
    /// <summary>The family's learning-rate schedule (one-third time scaling, tokens seen); null when the config gives none.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    public LearningOrderOptions LearningOrder { get; init; } = new();
    public CorpusExponentOptions CorpusExponents { get; init; } = new();
    /// <summary>Progress lines of long work (QDG).</summary>
    public Action<string>? Progress { get; init; }

    internal void Validate()
    {
        Settings.Resamples.Check(Resamples);
        Qdg.Validate();
        Schedule?.Validate();
        LearningOrder.Validate();
        CorpusExponents.Validate();
    }

    /// <summary>The settings of <c>quanta decompose</c>, QDG's among them; the run config's <c>decompose</c> object.</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("decompose", section: "decompose");

        public static readonly Setting<string?> Run = Group.Add("run", (string?)null, SettingFormats.Path,
            "The run folder (after infer; QDG also after gradients)", place: SettingPlace.Cli, cliRequired: true);

        public static readonly Setting<int> Seed = Group.Add("seed", 0, SettingFormats.Int, "Seed of the bootstraps and of the clustering");

        public static readonly Setting<int> Resamples = Group.Add("resamples", 1000, SettingFormats.Int,
            "Bootstrap resamples over documents", SettingGroup.Between(1, 100_000));

        public static IReadOnlyList<Setting> All { get; } = Group.Include(QdgOptions.Settings.All).Include(LearningOrderOptions.Settings.All)
            .Include(CorpusExponentOptions.Settings.All).Include(LearningRateSchedule.Settings.All).Include([RunLevelSettings.Shard]).All;

        /// <summary>Seed, resamples and QDG's settings, read and checked.</summary>
        public static DecomposeOptions From(ISettingSource source, string runFolder)
        {
            int seed = source.Get(Seed);
            return new DecomposeOptions
            {
                RunFolder = runFolder,
                Seed = seed,
                Resamples = source.Get(Resamples),
                Shard = source.Get(RunLevelSettings.Shard),
                Qdg = QdgOptions.Settings.From(source, seed),
                Schedule = LearningRateSchedule.Settings.From(source),
                LearningOrder = LearningOrderOptions.Settings.From(source),
                CorpusExponents = CorpusExponentOptions.Settings.From(source),
            };
        }
    }
}

public sealed record DecomposeResult(string SummaryPath, long TokenScalingPartsWritten, bool Complete);
