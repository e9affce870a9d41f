using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Options;

namespace QuantaProbe.Run;

/// <summary>
/// Typed reads from one object of a run config, with errors that name the file and the key, and a
/// check that no key was misspelled (an unknown key is an error, not a silent default).
/// </summary>
internal sealed class ConfigSection
{
    private readonly string _file;
    private readonly string _prefix;
    private readonly JsonObject _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public ConfigSection(string file, JsonObject node, string prefix = "")
    {
        (_file, _node, _prefix) = (file, node, prefix);
    }

    public string File => _file;

    public bool Has(string key) { _read.Add(key); return _node[key] is not null; }

    public ConfigSection? Section(string key)
    {
        _read.Add(key);
        return _node[key] switch
        {
            null => null,
            JsonObject o => new ConfigSection(_file, o, Name(key) + "."),
            _ => throw Bad(key, "must be an object of settings"),
        };
    }

    public JsonArray? Array(string key)
    {
        _read.Add(key);
        return _node[key] switch { null => null, JsonArray a => a, _ => throw Bad(key, "must be a list") };
    }

    public string? String(string key) => Read(key, (JsonValue v, out string? s) => v.TryGetValue(out s), "must be a string");

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        long? value = Read(key, (JsonValue v, out long? x) => { bool ok = TryInteger(v, out long l); x = l; return ok; }, "must be a whole number");
        if (value is null)
            return null;
        return value >= min && value <= max ? (int)value : throw Bad(key, $"is {value}; expected {Bounds(min, max)}");
    }

    /// <summary>A stage setting: absent or null is its default; a bad value throws the setting's own error (the reader adds the file).</summary>
    public T Read<T>(Setting<T> setting)
    {
        _read.Add(setting.Key);
        if (_node[setting.Key] is not { } node)
            return setting.Default;
        T value = setting.Read(node);
        return setting.Format.IsPath && value is string path ? (T)(object)Resolve(path) : value;
    }

    /// <summary>A path in the config is relative to the config file's folder, so the config works from any working directory.</summary>
    public string? PathValue(string key) => String(key) is { } p ? Resolve(p) : null;

    private string Resolve(string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_file))!, path));

    public void RejectUnknownKeys()
    {
        foreach (var (key, _) in _node)
            if (!_read.Contains(key))
                throw new QuantaException($"{_file}: unknown setting '{Name(key)}'; check its spelling (README: quanta run)");
    }

    public QuantaException Bad(string key, string what) => new($"{_file}: '{Name(key)}' {what}; fix the config");

    private string Name(string key) => _prefix + key;

    private delegate bool TryRead<T>(JsonValue value, out T result);

    private T? Read<T>(string key, TryRead<T?> read, string what)
    {
        _read.Add(key);
        var node = _node[key];
        if (node is null)
            return default;
        return node is JsonValue v && read(v, out var result) ? result : throw Bad(key, what);
    }

    /// <summary>A whole number from JSON (element-backed) or YAML (long-backed) values alike.</summary>
    public static bool TryInteger(JsonNode? node, out long value) => SettingFormats.TryInteger(node, out value);

    private static string Bounds(int min, int max) =>
        max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}";
}
