using QuantaProbe.Core.Family;
using QuantaProbe.Report.Html;

namespace QuantaProbe.Report.Sections;

/// <summary>
/// The warning beside models with identical weights (decompose's <c>duplicate_weights</c>, or a step
/// fit's <c>same_weights</c>): their points are one checkpoint's, not separate measurements.
/// </summary>
internal static class SameWeightsNote
{
    /// <summary>A paragraph naming each group; empty when there is none.</summary>
    public static string Paragraph(IEnumerable<IReadOnlyList<string>>? groups)
    {
        var names = (groups ?? []).Where(g => g.Count >= 2).ToList();
        if (names.Count == 0)
            return "";
        string list = string.Join("; ", names.Select(DuplicateWeights.Join));
        return $"<p class=\"warning\">Identical weights: {Markup.Escape(list)}. Each group is one checkpoint served under several names "
            + "(the hub serves some revisions with another revision's weights), so its points are one model's, not separate measurements.</p>\n";
    }
}
