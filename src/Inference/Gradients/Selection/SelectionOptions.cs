using QuantaProbe.Core;
using QuantaProbe.Core.Options;

namespace QuantaProbe.Gradients.Selection;

public enum SelectionMode
{
    /// <summary>The paper's: tokens the selecting model predicts with loss below a threshold, minus induction tokens, sampled.</summary>
    LowLoss,
    /// <summary>Every predicted token (pos ≥ 1).</summary>
    All,
    /// <summary>A seeded uniform sample of all predicted tokens.</summary>
    Random,
    /// <summary>The (doc_id, pos) pairs of a Parquet file.</summary>
    File,
}

public sealed record SelectionOptions
{
    public SelectionMode Mode { get; init; } = Settings.Select.Default;
    /// <summary>Nats; the paper's Pythia study used 0.1, its TinyStories study 1 bit (0.693).</summary>
    public double MaxLoss { get; init; } = Settings.MaxLoss.Default;
    public bool ExcludeInduction { get; init; } = !Settings.KeepInduction.Default;
    /// <summary>At most this many tokens (LowLoss, Random).</summary>
    public int Count { get; init; } = Settings.N.Default;
    public int Seed { get; init; } = Settings.Seed.Default;
    /// <summary>For <see cref="SelectionMode.File"/>: a Parquet file with doc_id (int64) and pos (int32) columns.</summary>
    public string? File { get; init; }

    internal void Validate()
    {
        Settings.N.Check(Count);
        Settings.MaxLoss.Check(MaxLoss);
        if (Mode == SelectionMode.File && string.IsNullOrEmpty(File))
            throw Settings.Select.Invalid("file", $"needs {Settings.SelectionFile.Name}, a Parquet file with doc_id and pos");
    }

    /// <summary>The token selection's settings: part of <c>quanta gradients</c> and of the run config's <c>gradients</c> object.</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("gradients", section: "gradients");

        public static readonly Setting<SelectionMode> Select = Group.Add("select", SelectionMode.LowLoss,
            SettingFormats.Choice(("low-loss", SelectionMode.LowLoss), ("lowloss", SelectionMode.LowLoss), ("all", SelectionMode.All), ("random", SelectionMode.Random), ("file", SelectionMode.File)),
            "low-loss (the paper's; alias lowloss), all, random or file");

        public static readonly Setting<string?> SelectionFile = Group.Add("selection_file", (string?)null, SettingFormats.Path,
            "With select file: Parquet with doc_id and pos");

        public static readonly Setting<double> MaxLoss = Group.Add("max_loss", 0.1, SettingFormats.Double,
            "Nats: tokens below this loss are candidates (the paper: 0.1; 1 bit = 0.693 for small models)",
            v => v > 0 && v <= 1e3 ? null : "must be a positive number of nats, at most 1000");

        public static readonly Setting<bool> KeepInduction = Group.Add("keep_induction", false, SettingFormats.Bool,
            "Keep tokens that complete a trigram seen earlier in the context");

        public static readonly Setting<int> N = Group.Add("n", 10_000, SettingFormats.Int, "Tokens to sample", SettingGroup.Between(1, 100_000));

        public static readonly Setting<int> Seed = Group.Add("seed", 0, SettingFormats.Int, "Sampling seed");

        public static IReadOnlyList<Setting> All => Group.All;

        public static SelectionOptions From(ISettingSource source)
        {
            var options = new SelectionOptions
            {
                Mode = source.Get(Select),
                File = source.Get(SelectionFile),
                MaxLoss = source.Get(MaxLoss),
                ExcludeInduction = !source.Get(KeepInduction),
                Count = source.Get(N),
                Seed = source.Get(Seed),
            };
            options.Validate();
            return options;
        }
    }

    public override string ToString() => Mode switch
    {
        SelectionMode.LowLoss => $"low-loss(max_loss={MaxLoss}, exclude_induction={ExcludeInduction}, n={Count}, seed={Seed})",
        SelectionMode.Random => $"random(n={Count}, seed={Seed})",
        SelectionMode.File => $"file({Path.GetFullPath(File!)})",
        _ => "all",
    };
}

/// <summary>One token chosen for a gradient: it is predicted at <see cref="Pos"/> of document <see cref="DocId"/>.</summary>
public readonly record struct SelectedToken(long DocId, int Pos, float SelectionLoss);
