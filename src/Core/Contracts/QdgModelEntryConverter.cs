using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// Reads a qdg.models entry as a <see cref="QdgModelResult"/> when its status is complete (a missing or
/// mistyped field fails, naming the field), else as the status alone; writes it back in the same shape.
/// </summary>
internal sealed class QdgModelEntryConverter : JsonConverter<QdgModelEntry>
{
    public override QdgModelEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        if (element.ValueKind != JsonValueKind.Object)
            throw new JsonException($"a QDG entry is an object, not {element.ValueKind}");
        if (!element.TryGetProperty("status", out var status))
            throw new JsonException("JSON deserialization for a QDG entry was missing required properties including: 'status'.");
        if (status.ValueKind != JsonValueKind.String)
            throw new JsonException($"its 'status' is {status.ValueKind}, not a string");
        if (status.GetString() != QdgModelEntry.Complete)
            return QdgModelEntry.NotRun(status.GetString()!);
        try
        {
            return QdgModelEntry.Of(element.Deserialize(ContractsJson.Default.QdgModelResult)!);
        }
        catch (JsonException e) when (e.Path is { Length: > 2 } at && !(e.Message ?? "").Contains("missing required properties", StringComparison.Ordinal))
        {
            throw new NestedFieldException(at[2..], (e.Message ?? "").ReplaceLineEndings(" ").Split(" Path: ")[0].TrimEnd('.'));
        }
        catch (JsonException e)
        {
            // A missing field: the serializer adds the entry's own path, which ContractFile shows beside the field.
            throw new JsonException((e.Message ?? "").ReplaceLineEndings(" ").Split(" Path: ")[0]);
        }
    }

    public override void Write(Utf8JsonWriter writer, QdgModelEntry value, JsonSerializerOptions options)
    {
        if (value.Result is { } result)
        {
            JsonSerializer.Serialize(writer, result, ContractsJson.Default.QdgModelResult);
            return;
        }
        writer.WriteStartObject();
        writer.WriteString("status", value.Status);
        writer.WriteEndObject();
    }
}
