using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace QuantaProbe.Run;

/// <summary>Reads a run config file, JSON or YAML (by extension), into one JSON object.</summary>
internal static class ConfigDocument
{
    public static JsonObject Load(string path)
    {
        if (!File.Exists(path))
            throw new QuantaException($"{path}: run config not found; pass a JSON or YAML file such as configs/demo.json");
        RegularFile.Require(path);
        string text;
        try { text = File.ReadAllText(path, new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true)); }
        catch (System.Text.DecoderFallbackException) { throw new QuantaException($"{path}: not UTF-8 text; save the config as UTF-8"); }
        string extension = Path.GetExtension(path).ToLowerInvariant();
        JsonNode? root = extension is ".yaml" or ".yml" ? FromYaml(path, text) : FromJson(path, text);
        return root as JsonObject ?? throw new QuantaException($"{path}: the config must be an object of settings (e.g. {{\"run_folder\": ..., \"corpus\": ...}})");
    }

    private static JsonNode? FromJson(string path, string text)
    {
        try { return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false }); }
        catch (JsonException e) { throw new QuantaException($"{path}: not valid JSON ({(e.LineNumber is { } line ? $"line {line + 1}: " : "")}{e.Message.Split('.')[0]}); fix the config"); }
    }

    private static JsonNode? FromYaml(string path, string text)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new QuantaException($"{path}: not valid YAML (line {e.Start.Line}: {e.Message}); fix the config"); }
        return stream.Documents.Count == 0 ? null : Convert(path, stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(string path, YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(Key(path, p.Key), Convert(path, p.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(c => Convert(path, c)).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static string Key(string path, YamlNode key) => key is YamlScalarNode { Value: { } name }
        ? name
        : throw new QuantaException($"{path}: line {key.Start.Line}: a key must be a plain name, not a list or a map; fix the config");

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string? value = scalar.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
            return JsonValue.Create(value);
        if (value is null or "" or "~" or "null")
            return null;
        if (value is "true" or "false")
            return JsonValue.Create(value == "true");
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            return JsonValue.Create(integer);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
            return JsonValue.Create(number);
        return JsonValue.Create(value);
    }
}
