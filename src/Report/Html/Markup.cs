using System.Globalization;
using System.Net;

namespace QuantaProbe.Report.Html;

/// <summary>Escaping and number formatting shared by every section.</summary>
internal static class Markup
{
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A number as the page shows it: 4 significant digits, invariant culture, "–" for missing.</summary>
    public static string Number(double? value) => value is not { } v || !double.IsFinite(v) ? "–"
        : Math.Abs(v) >= 1e5 || (Math.Abs(v) < 1e-3 && v != 0) ? v.ToString("0.###e+0", CultureInfo.InvariantCulture)
        : v.ToString("G4", CultureInfo.InvariantCulture);

    public static string Interval(double? low, double? high) => low is null || high is null ? "" : $"[{Number(low)}, {Number(high)}]";

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Figure(string source, string caption) =>
        $"<figure><img src=\"{Escape(source)}\" alt=\"{Escape(caption)}\"><figcaption>{Escape(caption)}</figcaption></figure>\n";

    public static string Paragraph(string text) => $"<p>{Escape(text)}</p>\n";

    /// <summary>A section that is absent, with the command that would add it.</summary>
    public static string Missing(string what, string command) =>
        $"<p class=\"missing\">{Escape(what)} Run <code>{Escape(command)}</code> to add it.</p>\n";

    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rowsOfHtml)
    {
        var s = new System.Text.StringBuilder("<table>\n<tr>");
        foreach (var h in header)
            s.Append("<th>").Append(Escape(h)).Append("</th>");
        s.Append("</tr>\n");
        foreach (var row in rowsOfHtml)
        {
            s.Append("<tr>");
            foreach (var cell in row)
                s.Append("<td>").Append(cell).Append("</td>");
            s.Append("</tr>\n");
        }
        return s.Append("</table>\n").ToString();
    }
}
