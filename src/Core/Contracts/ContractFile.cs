using QuantaProbe.Core;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// Reads and writes the run folder's JSON records. A missing, null or mistyped field fails with one
/// line naming the file, the field and <c>fix</c>.
/// </summary>
public static partial class ContractFile
{
    public static T Read<T>(string path, JsonTypeInfo<T> type, string fix) where T : IContract
    {
        if (!File.Exists(path))
            throw new QuantaException($"{path}: not found; {fix}");
        RegularFile.Require(path);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(File.ReadAllBytes(path), type);
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: {Describe(e)}; {fix}");
        }
        if (value is null)
            throw new QuantaException($"{path}: holds null, not a JSON object; {fix}");
        if (value.SchemaVersion != T.CurrentSchemaVersion)
            throw new QuantaException($"{path}: field 'schema_version' is {value.SchemaVersion}, this quanta reads {T.CurrentSchemaVersion}; {fix}");
        return value;
    }

    /// <summary>The record as the file's text: indented, with a final newline.</summary>
    public static string Text<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type) + "\n";

    public static void Write<T>(string path, T value, JsonTypeInfo<T> type) where T : IContract =>
        AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(Text(value, type))));

    private static string Describe(JsonException e)
    {
        string message = e.Message.ReplaceLineEndings(" ");
        if (MissingProperties().Match(message) is { Success: true } missing)
            return missing.Groups[1].Value.Contains("'schema_version'", StringComparison.Ordinal)
                ? "field 'schema_version' is missing: written by an older quanta, `quanta migrate --run RUN_FOLDER` updates it"
                : $"field {missing.Groups[1].Value} is missing" + (e.Path is { Length: > 2 } at ? $" (in {at[2..]})" : "");
        string field = e.Path is { Length: > 2 } p ? p[2..] : "";
        if (e is NestedFieldException nested)
            field = field.Length > 0 ? $"{field}.{nested.Field}" : nested.Field;
        string detail = message.Split(" Path: ")[0].TrimEnd('.');
        return field.Length > 0 ? $"field '{field}' is null or of the wrong type ({detail})" : $"not a valid record ({detail})";
    }

    [GeneratedRegex("missing required properties including: (.+?)\\.?( Path|$)")]
    private static partial Regex MissingProperties();
}
