using System.Text;

namespace QuantaProbe.Report.Html;

/// <summary>The self-contained page: inline CSS, a table of contents, the sections; no script and no external reference.</summary>
internal static class HtmlPage
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; background: #fff; line-height: 1.45; }
        h1 { border-bottom: 2px solid #345; padding-bottom: .3em; }
        h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
        th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
        th { background: #eef2f6; }
        figure { margin: 1em 0; }
        figure img { max-width: 100%; border: 1px solid #ddd; }
        figcaption { font-size: .9em; color: #555; }
        .missing, .warning { background: #fff6e0; border-left: 4px solid #e0a800; padding: .5em 1em; }
        .context { font-family: "DejaVu Sans Mono", monospace; white-space: pre-wrap; font-size: .88em; }
        .context .after { color: #999; }
        mark { background: #ffd54f; padding: 0 1px; }
        .clusters { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: .6em; }
        .cluster { border: 1px solid #ddd; padding: .2em .8em; }
        .cluster h4 { margin: .4em 0; }
        .num { font-variant-numeric: tabular-nums; }
        nav ul { columns: 2; }
        """;

    public static string Render(string title, string subtitle, IReadOnlyList<ReportSection> sections)
    {
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Markup.Escape(title)).Append("</title>\n<style>\n")
            .Append(Style).Append("</style>\n</head>\n<body>\n<h1>").Append(Markup.Escape(title)).Append("</h1>\n")
            .Append(Markup.Paragraph(subtitle)).Append("<nav><ul>\n");
        foreach (var section in sections)
            s.Append($"<li><a href=\"#{section.Id}\">{Markup.Escape(section.Title)}</a>{(section.Shown ? "" : " (not available)")}</li>\n");
        s.Append("</ul></nav>\n");
        foreach (var section in sections)
            s.Append($"<section id=\"{section.Id}\">\n<h2>{Markup.Escape(section.Title)}</h2>\n").Append(section.Html).Append("</section>\n");
        return s.Append("</body>\n</html>\n").ToString();
    }
}
