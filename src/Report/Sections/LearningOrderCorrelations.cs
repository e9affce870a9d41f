using QuantaProbe.Core.Contracts;
using QuantaProbe.Report.Html;

namespace QuantaProbe.Report.Sections;

/// <summary>The learning-order test's Spearman ρ per series for one kind of item (token types, QDG clusters, true subtasks): the numbers table's rows and an HTML table.</summary>
internal static class LearningOrderCorrelations
{
    /// <param name="items">The items, plural ("items", "clusters", "subtasks").</param>
    /// <param name="rank">The rank ρ correlates with where an item is learned ("frequency rank", "size rank").</param>
    /// <param name="quantity">The numbers table's quantity, before " vs where learned (series)".</param>
    /// <param name="scope">Written before the series in the quantity (e.g. the QDG model).</param>
    public static string Html(ReportContext ctx, string group, IReadOnlyList<LearningOrderCorrelationRecord> correlations, string items, string rank, string quantity, string scope = "")
    {
        foreach (var c in correlations)
            ctx.Numbers.Add(group, $"{quantity} vs where learned ({scope}{c.Series})", c.Spearman?.Value, c.Spearman is { } e ? (e.Ci[0], e.Ci[1]) : default, $"{c.ItemsLearned} {items} learned");
        return Markup.Table(["series", $"{items} learned", "not learned", $"Spearman ρ ({rank} vs learned at)", "95% interval"],
            correlations.Select(c => (IReadOnlyList<string>)[Markup.Escape(c.Series), Markup.Count(c.ItemsLearned), Markup.Count(c.ItemsNotLearned),
                Markup.Number(c.Spearman?.Value), c.Spearman is { } e ? Markup.Interval(e.Ci[0], e.Ci[1]) : ""]));
    }
}
