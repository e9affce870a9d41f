using System.Text.Json;

namespace QuantaProbe.Core.Family;

/// <summary>
/// The fields of models/&lt;name&gt;/model.json (written by `quanta export`) that later stages read.
/// A file that is not such an object fails with one line naming it.
/// </summary>
public sealed record ModelInfo(string Path, string? Name, long? Step, string? Source, long? Parameters, long? NonEmbeddingParameters, string? WeightsSha256)
{
    public const string FileName = "model.json";

    /// <summary>model.json of <paramref name="modelFolder"/>, or null when there is none.</summary>
    public static ModelInfo? TryRead(string modelFolder)
    {
        string path = System.IO.Path.Combine(modelFolder, FileName);
        if (!File.Exists(path))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(path, "not a JSON object");
            return new ModelInfo(path, String(root, "name", path), Long(root, "step", path), String(root, "source", path),
                Long(root, "parameters", path), Long(root, "non_embedding_parameters", path), String(root, "weights_sha256", path));
        }
        catch (JsonException e)
        {
            throw Bad(path, $"not valid JSON ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Part-file metadata key of <see cref="WeightsSha256"/>.</summary>
    public const string WeightsKey = "quanta.weights_sha256";

    private static string? String(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw Bad(path, $"'{name}' is not a string");

    private static long? Long(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) && n >= 0 ? n
        : throw Bad(path, $"'{name}' is not a non-negative integer");

    private static QuantaException Bad(string path, string what) =>
        new($"{path}: {what}; export the model again (`quanta export … --force`)");
}
