namespace QuantaProbe.Models.Safetensors;

/// <summary>One tensor's entry in a safetensors header; offsets are absolute positions in the file.</summary>
internal sealed record SafetensorsTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;

    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);
}
