using System.Text.Json;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Checkpoints;

/// <summary>Typed access to config.json fields with one-line errors naming the file and field.</summary>
internal readonly struct ConfigReader(JsonElement root, string path)
{
    public const string FileName = "config.json";

    /// <summary>Parses the config.json at <paramref name="path"/> and hands its root to <paramref name="read"/>; one line for a missing or broken file.</summary>
    public static T ReadFile<T>(string path, Func<JsonElement, T> read)
    {
        if (!File.Exists(path))
            throw new QuantaException($"{path}: file not found; a checkpoint folder needs its config.json.");
        RegularFile.Require(path);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return read(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: not valid JSON ({e.Message}); restore config.json.", e);
        }
    }

    /// <summary>A reader of <paramref name="root"/>, which must be a JSON object.</summary>
    public static ConfigReader Of(JsonElement root, string path) =>
        root.ValueKind == JsonValueKind.Object
            ? new ConfigReader(root, path)
            : throw new QuantaException($"{path}: the root is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object; restore the HF config.json.");

    public QuantaException Error(string what) => new($"{path}: {what}; fix config.json.");

    private JsonElement? Field(string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? e : null;

    public string String(string name) =>
        OptionalString(name) ?? throw Error($"'{name}' is missing");

    public string? OptionalString(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        _ => throw Error($"'{name}' must be a string"),
    };

    public int Int(string name, int min, int max)
    {
        long value = OptionalLong(name) ?? throw Error($"'{name}' is missing");
        if (value < min || value > max)
            throw Error($"'{name}' is {value}, outside the sane range [{min}, {max}]");
        return (int)value;
    }

    public long? OptionalLong(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } e when e.TryGetInt64(out long v) => v,
        _ => throw Error($"'{name}' must be an integer"),
    };

    public double? OptionalDouble(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => throw Error($"'{name}' must be a number"),
    };

    public bool? OptionalBool(string name) => Field(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Error($"'{name}' must be true or false"),
    };
}
