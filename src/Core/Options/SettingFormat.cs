using System.Text.Json.Nodes;

namespace QuantaProbe.Core.Options;

/// <summary>How a setting's value is spelled on the command line (and in a config string), read from a config value, and shown.</summary>
public sealed class SettingFormat<T>
{
    public delegate bool TryParseText(string text, out T value);
    public delegate bool TryReadNode(JsonNode node, out T value);

    private readonly TryParseText _parse;
    private readonly TryReadNode? _read;
    private readonly Func<T, string> _show;

    public SettingFormat(string expected, TryParseText parse, TryReadNode? read, Func<T, string> show, bool isPath = false)
    {
        (Expected, _parse, _read, _show, IsPath) = (expected, parse, read, show, isPath);
    }

    /// <summary>What a value must look like, completing "SETTING VALUE: …".</summary>
    public string Expected { get; }
    /// <summary>A path: in a run config it is relative to the config file's folder.</summary>
    public bool IsPath { get; }

    public bool TryParse(string text, out T value) => _parse(text, out value);

    public bool TryRead(JsonNode node, out T value)
    {
        value = default!;
        return _read is not null && _read(node, out value);
    }

    public string Show(T value) => _show(value);
}
