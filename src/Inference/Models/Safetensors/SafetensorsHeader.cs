using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Safetensors;

/// <summary>
/// Parses and validates a safetensors header: an 8-byte little-endian length N, N bytes of JSON
/// mapping names to {dtype, shape, data_offsets}, then the data. Every size is checked against
/// the file's length before anything is allocated from it.
/// </summary>
internal static class SafetensorsHeader
{
    // The format's own limit (huggingface/safetensors rejects larger headers).
    private const long MaxHeaderBytes = 100_000_000;

    public static IReadOnlyDictionary<string, SafetensorsTensorInfo> Read(Stream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Bad(path, $"the file is {fileLength} bytes, shorter than the 8-byte header length");

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(fileLength - 8))
            throw Bad(path, $"the header claims {headerLength} bytes but the file has {fileLength - 8} after the length field");

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        return Parse(json, path, dataStart, fileLength);
    }

    private static Dictionary<string, SafetensorsTensorInfo> Parse(byte[] json, string path, long dataStart, long fileLength)
    {
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw Bad(path, "the header is not UTF-8 text");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException e) { throw Bad(path, "the header is not valid JSON (" + e.Message + ")"); }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(path, "the header is not a JSON object");
            var tensors = new Dictionary<string, SafetensorsTensorInfo>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                    continue;
                var info = ParseTensor(property, path, dataStart, fileLength);
                if (!tensors.TryAdd(info.Name, info))
                    throw Bad(path, $"tensor '{info.Name}' appears twice");
            }
            CheckNoOverlap(tensors.Values, path);
            return tensors;
        }
    }

    private static SafetensorsTensorInfo ParseTensor(JsonProperty property, string path, long dataStart, long fileLength)
    {
        string name = property.Name;
        var entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
            throw Bad(path, $"tensor '{name}' needs dtype, shape and data_offsets [begin, end]");

        string dtype = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryGetSize(dtype, out int elementSize))
            throw Bad(path, $"tensor '{name}' has unknown dtype '{dtype}'");

        long elements = 1;
        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0)
                throw Bad(path, $"tensor '{name}' has a shape entry that is not a non-negative integer");
            shape[i++] = d;
            try { elements = checked(elements * d); }
            catch (OverflowException) { throw Bad(path, $"tensor '{name}' has a shape too large to address"); }
        }

        long begin = ReadOffset(offsetsElement[0], name, path);
        long end = ReadOffset(offsetsElement[1], name, path);
        long dataLength = fileLength - dataStart;
        if (begin > end || end > dataLength)
            throw Bad(path, $"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataLength} data bytes");

        long expected;
        try { expected = checked(elements * elementSize); }
        catch (OverflowException) { throw Bad(path, $"tensor '{name}' has a shape too large to address"); }
        if (expected != end - begin)
            throw Bad(path, $"tensor '{name}' is {dtype} {TensorInfo.FormatShape(shape)} = {expected} bytes but its offsets span {end - begin}");

        return new SafetensorsTensorInfo(name, dtype, shape, dataStart + begin, dataStart + end);
    }

    private static long ReadOffset(JsonElement element, string name, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
            throw Bad(path, $"tensor '{name}' has a data offset that is not a non-negative integer");
        return value;
    }

    private static void CheckNoOverlap(IEnumerable<SafetensorsTensorInfo> tensors, string path)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var t in tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.Begin))
        {
            if (previous is not null && t.Begin < previous.End)
                throw Bad(path, $"tensors '{previous.Name}' and '{t.Name}' overlap");
            previous = t;
        }
    }


    private static QuantaException Bad(string path, string what) =>
        new($"{path}: not a valid safetensors file: {what}; re-download or re-save the checkpoint.");
}
