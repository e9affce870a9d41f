using System.Text.Json.Nodes;
using QuantaProbe.Report.Html;

namespace QuantaProbe.Report.Sections;

/// <summary>Every number the page states, with its interval where there is one: the page's last table and summary.json's "numbers".</summary>
internal sealed class NumbersTable
{
    private readonly List<(string Group, string Quantity, double? Value, double? Low, double? High, string Note)> _rows = [];

    public void Add(string group, string quantity, double? value, (double? Low, double? High) interval = default, string note = "") =>
        _rows.Add((group, quantity, value, interval.Low, interval.High, note));

    public int Count => _rows.Count;

    public JsonArray ToJson() => new(_rows.Select(r =>
    {
        var o = new JsonObject { ["group"] = r.Group, ["quantity"] = r.Quantity, ["value"] = Finite(r.Value) };
        if (r.Low is not null || r.High is not null)
            o["ci"] = new JsonArray(Finite(r.Low), Finite(r.High));
        if (r.Note.Length > 0)
            o["note"] = r.Note;
        return (JsonNode)o;
    }).ToArray());

    public string ToHtml() => Markup.Table(["group", "quantity", "value", "95% interval", "note"],
        _rows.Select(r => (IReadOnlyList<string>)[Markup.Escape(r.Group), Markup.Escape(r.Quantity), $"<span class=\"num\">{Markup.Number(r.Value)}</span>", Markup.Interval(r.Low, r.High), Markup.Escape(r.Note)]));

    private static JsonNode? Finite(double? v) => v is { } d && double.IsFinite(d) ? JsonValue.Create(d) : null;
}
