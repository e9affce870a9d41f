using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuantaProbe.Core.Options;

/// <summary>The formats settings are written in.</summary>
public static class SettingFormats
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static readonly SettingFormat<int> Int = new("must be a whole number",
        (string t, out int v) => int.TryParse(t, NumberStyles.AllowLeadingSign, Invariant, out v),
        (JsonNode n, out int v) => TryInt(n, out v),
        v => v.ToString(Invariant));

    public static readonly SettingFormat<int?> OptionalInt = Optional(Int);

    public static readonly SettingFormat<long?> OptionalLong = new("must be a whole number",
        (string t, out long? v) => { bool ok = long.TryParse(t, NumberStyles.AllowLeadingSign, Invariant, out long l); v = l; return ok; },
        (JsonNode n, out long? v) => { bool ok = TryInteger(n, out long l); v = l; return ok; },
        v => v?.ToString(Invariant) ?? "");

    public static readonly SettingFormat<double> Double = new("must be a number",
        (string t, out double v) => double.TryParse(t, NumberStyles.Float, Invariant, out v),
        (JsonNode n, out double v) =>
        {
            v = 0;
            return n is JsonValue j && j.GetValueKind() == JsonValueKind.Number && (j.TryGetValue(out v) || (TryInteger(n, out long l) && (v = l) == l));
        },
        v => v.ToString(Invariant));

    public static readonly SettingFormat<bool> Bool = new("must be true or false",
        (string t, out bool v) => bool.TryParse(t, out v),
        (JsonNode n, out bool v) => { v = false; return n is JsonValue j && j.TryGetValue(out v); },
        v => v ? "true" : "false");

    /// <summary>Text; a config gives it as a string (read before the format is asked).</summary>
    public static readonly SettingFormat<string?> Text = new("must be a string",
        (string t, out string? v) => { v = t; return true; }, null, v => v ?? "");

    /// <summary>Text in which \n, \r and \t stand for a newline, a carriage return and a tab (easier to type in a shell or a YAML plain scalar).</summary>
    public static readonly SettingFormat<string?> EscapedText = new("must be a string",
        (string t, out string? v) => { v = t.Replace("\\n", "\n").Replace("\\r", "\r").Replace("\\t", "\t"); return true; }, null,
        v => v?.Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") ?? "");

    /// <summary>Comma-separated names (a,b); a list of strings in a config.</summary>
    public static readonly SettingFormat<IReadOnlyList<string>?> Names = new("must be comma-separated names such as a,b",
        (string t, out IReadOnlyList<string>? v) => { v = t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); return true; },
        null, v => v is null ? "" : string.Join(",", v));

    /// <summary>A file or folder; in a run config, relative to the config file.</summary>
    public static readonly SettingFormat<string?> Path = new("must be a path (a non-empty string)",
        (string t, out string? v) => { v = t; return !string.IsNullOrWhiteSpace(t); }, null, v => v ?? "", isPath: true);

    /// <summary>Repeatable on the command line; a list of strings in a config.</summary>
    public static readonly SettingFormat<IReadOnlyList<string>> TextList = new("must be a list of strings",
        (string t, out IReadOnlyList<string> v) => { v = [t]; return true; },
        (JsonNode n, out IReadOnlyList<string> v) =>
        {
            v = n is JsonArray a ? a.Select(x => x is JsonValue j && j.TryGetValue(out string? s) ? s : null).OfType<string>().ToList() : [];
            return n is JsonArray array && v.Count == array.Count;
        },
        v => string.Join(",", v));

    /// <summary>Whole numbers: comma-separated on the command line (10,20,50), a list or that string in a config.</summary>
    public static readonly SettingFormat<IReadOnlyList<int>> IntList = new("must be comma-separated whole numbers such as 10,20,50 (a list in a config)",
        (string t, out IReadOnlyList<int> v) =>
        {
            var parts = t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var list = new int[parts.Length];
            v = list;
            return parts.Length > 0 && parts.Select((p, i) => int.TryParse(p, NumberStyles.None, Invariant, out list[i])).All(ok => ok);
        },
        (JsonNode n, out IReadOnlyList<int> v) =>
        {
            var list = n is JsonArray a ? new int[a.Count] : [];
            v = list;
            return n is JsonArray array && array.Count > 0 && array.Select((x, i) => TryInt(x, out list[i])).All(ok => ok);
        },
        v => string.Join(",", v.Select(x => x.ToString(Invariant))));

    /// <summary>FIRST-LAST on the command line (100-1000), [first, last] or that string in a config.</summary>
    public static readonly SettingFormat<(int First, int Last)?> IntRange = new("must be FIRST-LAST such as 100-1000 ([first, last] in a config)",
        (string t, out (int, int)? v) =>
        {
            var p = t.Split('-');
            v = null;
            if (p.Length != 2 || !int.TryParse(p[0], NumberStyles.None, Invariant, out int first) || !int.TryParse(p[1], NumberStyles.None, Invariant, out int last))
                return false;
            v = (first, last);
            return true;
        },
        (JsonNode n, out (int, int)? v) =>
        {
            v = null;
            if (n is not JsonArray { Count: 2 } a || !TryInt(a[0], out int first) || !TryInt(a[1], out int last))
                return false;
            v = (first, last);
            return true;
        },
        v => v is { } r ? $"{r.First}-{r.Last}" : "");

    public static readonly SettingFormat<ShardSpec> Shard = new("must be i/n with 0 ≤ i < n, e.g. 0/4",
        (string t, out ShardSpec v) => ShardSpec.TryParse(t, out v), null, v => v.ToString());

    /// <summary>One of a few words; <paramref name="spellings"/> lists each value's canonical word first, then its aliases.</summary>
    public static SettingFormat<T> Choice<T>(params (string Word, T Value)[] spellings) where T : notnull
    {
        var canonical = spellings.DistinctBy(s => s.Value).ToList();
        string expected = "must be " + (canonical.Count == 2
            ? $"{canonical[0].Word} or {canonical[1].Word}"
            : string.Join(", ", canonical.SkipLast(1).Select(s => s.Word)) + " or " + canonical[^1].Word);
        return new SettingFormat<T>(expected,
            (string t, out T v) =>
            {
                var hit = spellings.FirstOrDefault(s => string.Equals(s.Word, t.Trim(), StringComparison.OrdinalIgnoreCase));
                v = hit.Value;
                return hit.Word is not null;
            },
            null,
            v => canonical.First(s => EqualityComparer<T>.Default.Equals(s.Value, v)).Word);
    }

    public static SettingFormat<T?> Optional<T>(SettingFormat<T> format) where T : struct => new(format.Expected,
        (string t, out T? v) => { bool ok = format.TryParse(t, out T x); v = ok ? x : null; return ok; },
        (JsonNode n, out T? v) => { bool ok = format.TryRead(n, out T x); v = ok ? x : null; return ok; },
        v => v is { } x ? format.Show(x) : "");

    /// <summary>A whole number from JSON (element-backed) or YAML (long-backed) values alike.</summary>
    public static bool TryInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            return false;
        if (v.TryGetValue(out value))
            return true;
        return v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e15 && (value = (long)d) == d;
    }

    private static bool TryInt(JsonNode? node, out int value)
    {
        bool ok = TryInteger(node, out long l) && l is >= int.MinValue and <= int.MaxValue;
        value = ok ? (int)l : 0;
        return ok;
    }
}
