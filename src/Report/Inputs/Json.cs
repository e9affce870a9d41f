using System.Text.Json.Nodes;

namespace QuantaProbe.Report.Inputs;

/// <summary>Lenient reads of decompose's JSON: a missing or non-numeric value is null, never an exception.</summary>
internal static class Json
{
    public static double? Double(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out double d) ? d : null;

    public static long? Long(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out long l) ? l : node is JsonValue w && w.TryGetValue(out double d) && d == Math.Floor(d) ? (long)d : null;

    public static string? String(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    /// <summary>A [low, high] pair.</summary>
    public static (double? Low, double? High) Interval(JsonNode? node) =>
        node is JsonArray { Count: 2 } a ? (Double(a[0]), Double(a[1])) : (null, null);

    public static double[] Doubles(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => Double(x) ?? double.NaN).ToArray() : [];

    public static string[] Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => String(x) ?? "").ToArray() : [];
}
