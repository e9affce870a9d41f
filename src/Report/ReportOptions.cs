using QuantaProbe.Core.Options;

namespace QuantaProbe.Report;

public sealed record ReportOptions
{
    public required string RunFolder { get; init; }
    /// <summary>At most this many QDG samples in the similarity matrix (drawn evenly from each cluster).</summary>
    public int SimilaritySamples { get; init; } = Settings.SimilaritySamples.Default;
    /// <summary>Clusters of the reference k shown with their token contexts, largest first.</summary>
    public int ClustersShown { get; init; } = Settings.Clusters.Default;
    public int ContextsPerCluster { get; init; } = 3;
    /// <summary>Tokens of context shown before a highlighted token.</summary>
    public int ContextTokens { get; init; } = 24;
    /// <summary>Monogenic and polygenic example tokens shown (each).</summary>
    public int TokenExamples { get; init; } = 5;
    /// <summary>Progress of long work: (done, total, what).</summary>
    public Action<double, double, string>? Progress { get; init; }

    internal void Validate()
    {
        Settings.SimilaritySamples.Check(SimilaritySamples);
        Settings.Clusters.Check(ClustersShown);
    }

    /// <summary>The settings of <c>quanta report</c>; the run config's <c>report</c> object (<c>report: false</c> is short for <c>{enabled: false}</c>).</summary>
    public static class Settings
    {
        private static readonly SettingGroup Group = new("report", section: "report");

        public static readonly Setting<string?> Run = Group.Add("run", (string?)null, SettingFormats.Path,
            "The run folder (after decompose; sections for gradients and ground truth appear when present)", place: SettingPlace.Cli, cliRequired: true);

        public static readonly Setting<int> SimilaritySamples = Group.Add("similarity_samples", 300, SettingFormats.Int,
            "QDG samples drawn in the similarity matrix (evenly from each cluster)", SettingGroup.Between(2, 5000));

        public static readonly Setting<int> Clusters = Group.Add("clusters", 10, SettingFormats.Int,
            "Largest clusters of the reference k shown with token contexts", SettingGroup.Between(1, 1000));

        public static readonly Setting<bool> Enabled = Group.Add("enabled", true, SettingFormats.Bool,
            "false: the run ends with decompose, without a report", place: SettingPlace.Config);

        public static IReadOnlyList<Setting> All => Group.All;

        public static ReportOptions From(ISettingSource source, string runFolder) => new()
        {
            RunFolder = runFolder,
            SimilaritySamples = source.Get(SimilaritySamples),
            ClustersShown = source.Get(Clusters),
        };
    }
}

public sealed record ReportResult(string IndexPath, string SummaryPath, IReadOnlyList<string> Figures, IReadOnlyList<string> SectionsShown, IReadOnlyList<string> SectionsMissing);
