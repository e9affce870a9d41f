using System.Text.Json;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// A null or mistyped field found by a converter that reads its value on its own (a qdg.models entry):
/// <see cref="Field"/> is relative to the value; the serializer sets the value's own path, and
/// <see cref="ContractFile"/> joins the two.
/// </summary>
internal sealed class NestedFieldException(string field, string detail) : JsonException(detail)
{
    public string Field { get; } = field;
}
