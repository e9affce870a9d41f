namespace QuantaProbe.Models.Runtime;

/// <summary>Reads the settings export leaves in a graph's metadata (vocabulary size, padding multiple, scored position).</summary>
internal static class GraphMetadata
{
    /// <summary>The value of <paramref name="key"/> when it is a positive whole number, else null.</summary>
    public static int? PositiveInt(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var text) && int.TryParse(text, out int n) && n > 0 ? n : null;
}
