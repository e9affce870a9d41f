using QuantaProbe.Core.Options;

namespace QuantaProbe.Decompose.Laws;

/// <summary>Settings of the learning-order analysis: which items count and when an item is learned.</summary>
public sealed record LearningOrderOptions
{
    /// <summary>Items (predicted token types) scored fewer times than this are left out: their mean loss is noise.</summary>
    public int MinCount { get; init; } = Settings.MinCount.Default;
    /// <summary>An item is learned at the first point where its loss has fallen by this share of its own drop from start to end.</summary>
    public double LearnedShare { get; init; } = Settings.LearnedShare.Default;
    /// <summary>An item whose loss falls by less than this (nats) from start to end is not learned along that series.</summary>
    public double MinDrop { get; init; } = Settings.MinDrop.Default;
    /// <summary>QDG clusters with fewer members than this are left out of the cluster items.</summary>
    public int ClusterMinSize { get; init; } = Settings.ClusterMinSize.Default;

    public void Validate()
    {
        Settings.MinCount.Check(MinCount);
        Settings.LearnedShare.Check(LearnedShare);
        Settings.MinDrop.Check(MinDrop);
        Settings.ClusterMinSize.Check(ClusterMinSize);
    }

    public static class Settings
    {
        private static readonly SettingGroup Group = new("decompose", section: "decompose");

        public static readonly Setting<int> MinCount = Group.Add("order_min_count", 20, SettingFormats.Int,
            "Learning order: least occurrences of a predicted token type to count it as an item", SettingGroup.Between(2, 1 << 30));

        public static readonly Setting<double> LearnedShare = Group.Add("learned_share", 0.5, SettingFormats.Double,
            "Learning order: an item is learned where its loss has fallen by this share of its own start-to-end drop", v => v > 0 && v <= 1 ? null : "must be in (0, 1]");

        public static readonly Setting<double> MinDrop = Group.Add("learned_min_drop", 0.1, SettingFormats.Double,
            "Learning order: least start-to-end drop (nats) for an item to count as learned", v => v >= 0 && double.IsFinite(v) ? null : "must be zero or a positive number");

        public static readonly Setting<int> ClusterMinSize = Group.Add("order_cluster_min_size", 5, SettingFormats.Int,
            "Learning order: least members of a QDG cluster to count it as an item", SettingGroup.Between(1, 1 << 30));

        public static IReadOnlyList<Setting> All => Group.All;

        public static LearningOrderOptions From(ISettingSource source)
        {
            var options = new LearningOrderOptions { MinCount = source.Get(MinCount), LearnedShare = source.Get(LearnedShare), MinDrop = source.Get(MinDrop), ClusterMinSize = source.Get(ClusterMinSize) };
            options.Validate();
            return options;
        }
    }
}
