using QuantaProbe.Core.Options;

namespace QuantaProbe.Decompose.Qdg;

/// <summary>How QDG clusters the gradients.</summary>
public enum QdgMethod
{
    /// <summary>
    /// Average-linkage agglomerative clustering of the sign-invariant angular distance arccos(|C|)/π,
    /// one dendrogram cut at every k: recovers planted quanta of Zipf-distributed sizes where the
    /// paper's spectral clustering splits the large ones and merges the small ones.
    /// </summary>
    Agglomerative,
    /// <summary>The paper's: affinity 1 − arccos(C)/π, spectral clustering with k-means.</summary>
    Spectral,
}

/// <summary>Settings of quanta discovery from gradients: the numbers of clusters, k-means, the envelope fit.</summary>
public sealed record QdgOptions
{
    /// <summary>The paper's list of k (PAPER.md, QDG step 6).</summary>
    public static readonly IReadOnlyList<int> PaperKs =
    [
        10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 175, 200, 225, 250, 275, 300, 350, 400,
        500, 600, 700, 800, 900, 1000, 1100, 1200, 1400, 1500,
    ];

    /// <summary>The largest number of clusters (or envelope rank) a setting may name: the gradients' n is at most 100,000.</summary>
    public const int MaxK = 100_000;

    /// <summary>Numbers of clusters; those not below the number of samples are skipped.</summary>
    public IReadOnlyList<int> Ks { get; init; } = PaperKs;
    public QdgMethod Method { get; init; } = Settings.Method.Default;
    /// <summary>The k whose clusters the report shows and whose sizes the MLE fits; the nearest usable k is taken. Null: it follows N (<see cref="ReferenceKFor"/>).</summary>
    public int? ReferenceK { get; init; } = Settings.ReferenceK.Default;
    /// <summary>k-means restarts per k (spectral method).</summary>
    public int Restarts { get; init; } = Settings.Restarts.Default;
    public int Seed { get; init; }
    /// <summary>Bootstrap resamples over samples for the slope intervals.</summary>
    public int Resamples { get; init; } = Settings.QdgResamples.Default;
    /// <summary>Ranks of the envelope that the log-log fit uses (the paper: 100–1000 of k ≤ 1500); null scales the paper's range to the largest k (with the default k list: to N).</summary>
    public (int First, int Last)? RankRange { get; init; }
    /// <summary>
    /// λ of the agglomerative distance arccos(|C|)/π + λ·(loss-curve distance across sizes, see
    /// <see cref="Similarity.LossCurveDistance"/>); 0 (the default) clusters on gradients alone, as the paper.
    /// </summary>
    public double CurveWeight { get; init; }
    /// <summary>Up to this many samples QDG uses the exact dense similarity; above it, each sample's <see cref="Neighbours"/> nearest (see <see cref="QdgPlan"/>).</summary>
    public int DenseLimit { get; init; } = Settings.DenseLimit.Default;
    /// <summary>m: the nearest neighbours each sample keeps when the similarity is sparse.</summary>
    public int Neighbours { get; init; } = Settings.Neighbours.Default;

    /// <summary>The paper clusters 10,000 samples with k up to 1,500.</summary>
    public const int PaperSamples = 10_000;

    /// <summary>
    /// The k to cluster <paramref name="samples"/> samples at: the paper's list (the default) scaled by N/10,000 (k × N/10,000,
    /// at least 2; the paper's own list at its 10,000 samples), so the clusters keep the paper's sizes and the envelope's fitted
    /// ranks (<see cref="QdgAnalysis.DefaultRange"/>: 1/15 to 2/3 of the largest k) grow with N; any other list is taken as given.
    /// </summary>
    public IReadOnlyList<int> KsFor(int samples) =>
        samples != PaperSamples && Ks.SequenceEqual(PaperKs)
            ? PaperKs.Select(k => Math.Max(2, (int)Math.Round(k * (double)samples / PaperSamples))).Distinct().ToList()
            : Ks;

    /// <summary>The paper's reference k, of its <see cref="PaperSamples"/> samples.</summary>
    public const int PaperReferenceK = 400;

    /// <summary>How the reference k was chosen, as summary.json's QDG settings record it.</summary>
    public string ReferenceKRule => ReferenceK is null ? $"N/{PaperSamples / PaperReferenceK}, the paper's {PaperReferenceK} of {PaperSamples:N0} samples" : "given";

    /// <summary>
    /// The reference k for <paramref name="samples"/> samples: as given, or by default the paper's ratio (400 clusters of 10,000
    /// samples: 25 a cluster), so its clusters keep the paper's mean size as N grows, as the k list and the fitted ranks do.
    /// </summary>
    public int ReferenceKFor(int samples) =>
        ReferenceK ?? Math.Max(2, (int)Math.Round(samples * (double)PaperReferenceK / PaperSamples));

    public void Validate()
    {
        Settings.K.Check(Ks);
        Settings.ReferenceK.Check(ReferenceK);
        Settings.Restarts.Check(Restarts);
        Settings.QdgResamples.Check(Resamples);
        Settings.RankRange.Check(RankRange);
        Settings.CurveWeight.Check(CurveWeight);
        Settings.DenseLimit.Check(DenseLimit);
        Settings.Neighbours.Check(Neighbours);
        if (CurveWeight > 0 && Method != QdgMethod.Agglomerative)
            throw Settings.CurveWeight.Invalid(Settings.CurveWeight.Format.Show(CurveWeight), $"works with {Settings.Method.Name} agglomerative only; drop one of them");
    }

    /// <summary>QDG's settings: part of <c>quanta decompose</c> and of the run config's <c>decompose</c> object.</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("decompose", section: "decompose");

        public static readonly Setting<IReadOnlyList<int>> K = Group.Add("k", PaperKs, SettingFormats.IntList,
            "QDG numbers of clusters, comma-separated", ks => ks.Count <= 1000 && ks.All(k => k is >= 2 and <= MaxK) ? null : $"must be at most 1000 whole numbers between 2 and {MaxK}",
            defaultHelp: "the paper's 10,20,…,1500 of 10,000 samples, scaled by N/10,000");

        public static readonly Setting<int?> ReferenceK = Group.Add("reference_k", (int?)null, SettingFormats.OptionalInt,
            "The k whose clusters are reported and fitted by MLE", SettingGroup.BetweenOrUnset(2, QdgOptions.MaxK),
            defaultHelp: "N/25, the paper's 400 of 10,000 samples");

        public static readonly Setting<QdgMethod> Method = Group.Add("method", QdgMethod.Agglomerative,
            SettingFormats.Choice(("agglomerative", QdgMethod.Agglomerative), ("spectral", QdgMethod.Spectral)),
            "QDG clustering: agglomerative (average linkage on the sign-invariant angular distance; recovers planted quanta) or spectral (the paper's)");

        public static readonly Setting<double> CurveWeight = Group.Add("curve_weight", 0.0, SettingFormats.Double,
            "λ: add λ × each pair's loss-curve distance across sizes to the gradient distance (agglomerative only); 0 = gradients alone, as the paper",
            v => v >= 0 && double.IsFinite(v) ? null : "must be zero or a positive number (e.g. 0.15)");

        public static readonly Setting<int> Restarts = Group.Add("restarts", 10, SettingFormats.Int, "k-means restarts per k", SettingGroup.Between(1, 1000));

        public static readonly Setting<int> QdgResamples = Group.Add("qdg_resamples", 200, SettingFormats.Int,
            "Bootstrap resamples over samples for the slopes", SettingGroup.Between(1, 100_000));

        public static readonly Setting<(int First, int Last)?> RankRange = Group.Add("rank_range", ((int First, int Last)?)null, SettingFormats.IntRange,
            "Envelope ranks of the log-log fit, FIRST-LAST", r => r is not { } v || (v.First >= 1 && v.Last > v.First && v.Last <= MaxK) ? null : $"must have 1 ≤ FIRST < LAST ≤ {MaxK}",
            defaultHelp: "the paper's 100-1000 scaled to the largest k");

        public static readonly Setting<int> DenseLimit = Group.Add("dense_limit", 20_000, SettingFormats.Int,
            "QDG clusters up to this many samples on the exact dense similarity (N×N), more on each sample's nearest neighbours", SettingGroup.Between(2, QdgPlan.DenseMaximum));

        public static readonly Setting<int> Neighbours = Group.Add("neighbours", 50, SettingFormats.Int,
            "Nearest neighbours per sample above the dense limit", SettingGroup.Between(2, 1000));

        public static IReadOnlyList<Setting> All => Group.All;

        /// <param name="seed">The decompose stage's seed, which QDG's clustering shares.</param>
        public static QdgOptions From(ISettingSource source, int seed)
        {
            var options = new QdgOptions
            {
                Ks = source.Get(K),
                ReferenceK = source.Get(ReferenceK),
                Method = source.Get(Method),
                Restarts = source.Get(Restarts),
                Resamples = source.Get(QdgResamples),
                RankRange = source.Get(RankRange),
                CurveWeight = source.Get(CurveWeight),
                DenseLimit = source.Get(DenseLimit),
                Neighbours = source.Get(Neighbours),
                Seed = seed,
            };
            options.Validate();
            return options;
        }
    }
}
