using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;

namespace QuantaProbe.Report.Inputs;

/// <summary>
/// A node of decompose/summary.json's free-form sections (qdg, ground_truth). A key the report reads
/// must be there (its value may be null, where decompose writes null); a missing or mistyped one fails
/// with one line naming the file and the key's path.
/// </summary>
internal sealed class SummaryNode
{
    private readonly JsonNode? _node;
    private readonly string _where;
    private readonly string _file;
    private readonly string _fix;

    private SummaryNode(JsonNode? node, string where, string file, string fix) => (_node, _where, _file, _fix) = (node, where, file, fix);

    public static SummaryNode Root(JsonNode node, string key, string file, string fix) => new(node, key, file, fix);

    /// <summary>The value of a key that must be present.</summary>
    public SummaryNode this[string key] =>
        Object.TryGetPropertyValue(key, out var value) ? Child(value, key) : throw Bad($"field '{_where}.{key}' is missing");

    /// <summary>The value of a key that decompose writes only sometimes; null when absent.</summary>
    public SummaryNode? Optional(string key) => Object.TryGetPropertyValue(key, out var value) ? Child(value, key) : null;

    public JsonNode? Node => _node;

    public bool IsObject => _node is JsonObject;

    public IEnumerable<(string Key, SummaryNode Value)> Properties => Object.Select(p => (p.Key, Child(p.Value, p.Key)));

    public IEnumerable<SummaryNode> Items => Array.Select((item, i) => new SummaryNode(item, $"{_where}[{i}]", _file, _fix));

    public double? Double => _node is null ? null
        : _node is JsonValue v && v.TryGetValue(out double d) ? d : throw Bad($"field '{_where}' is not a number");

    public long? Long => _node is null ? null
        : _node is JsonValue v && v.TryGetValue(out long l) ? l : throw Bad($"field '{_where}' is not an integer");

    public string? String => _node is null ? null
        : _node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : throw Bad($"field '{_where}' is not a string");

    public double[] Doubles => Items.Select(x => x.Double ?? double.NaN).ToArray();

    /// <summary>A [low, high] pair, or (null, null) where decompose wrote null.</summary>
    public (double? Low, double? High) Interval => _node is null ? (null, null)
        : _node is JsonArray { Count: 2 } ? (Items.First().Double, Items.Last().Double) : throw Bad($"field '{_where}' is not a [low, high] pair");

    private JsonObject Object => _node as JsonObject ?? throw Bad($"field '{_where}' is not an object");

    private JsonArray Array => _node as JsonArray ?? throw Bad($"field '{_where}' is not an array");

    private SummaryNode Child(JsonNode? value, string key) => new(value, $"{_where}.{key}", _file, _fix);

    private QuantaException Bad(string what) => new($"{_file}: {what}; {_fix}");
}
