using System.Text;

namespace QuantaProbe.Report.Html;

/// <summary>
/// A token in its context as HTML: the text escaped, newlines shown as ⏎ (and kept as line breaks
/// inside the <c>pre</c>-wrapped span), tabs as →, the predicted token highlighted.
/// </summary>
internal static class TokenContextHtml
{
    public static string Render(string before, string token, string after = "") =>
        $"<span class=\"context\">{Visible(before)}<mark>{Visible(token)}</mark><span class=\"after\">{Visible(after)}</span></span>";

    /// <summary>Escaped text with its invisible characters made visible.</summary>
    public static string Visible(string text)
    {
        var s = new StringBuilder(text.Length + 8);
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            string? shown = i == text.Length ? "" : text[i] switch { '\n' => "⏎\n", '\r' => "", '\t' => "→", _ => null };
            if (shown is null)
                continue;
            s.Append(Markup.Escape(text[start..i])).Append(shown);
            start = i + 1;
        }
        return s.ToString();
    }

    /// <summary>Plain text for figure legends (which have no ⏎ glyph in every font).</summary>
    public static string Label(string token) => token.Replace("\r", "").Replace("\n", "\\n").Replace("\t", "\\t");
}
