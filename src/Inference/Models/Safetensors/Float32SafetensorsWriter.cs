using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Safetensors;

/// <summary>Writes float32 tensors as one safetensors file (8-byte header length, JSON header, data), atomically.</summary>
public static class Float32SafetensorsWriter
{
    public static void Write(string path, IReadOnlyList<(string Name, long[] Shape, float[] Data)> tensors)
    {
        var header = new JsonObject();
        long offset = 0;
        foreach (var (name, shape, data) in tensors)
        {
            if (shape.Aggregate(1L, (a, b) => a * b) != data.LongLength)
                throw new ArgumentException($"tensor '{name}': shape {string.Join("×", shape)} does not hold {data.LongLength} values");
            long end = offset + data.LongLength * sizeof(float);
            header[name] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d).ToArray()), ["data_offsets"] = new JsonArray(offset, end) };
            offset = end;
        }
        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format pads the header with spaces to a multiple of 8 bytes.
        int padded = (json.Length + 7) / 8 * 8;
        AtomicFile.Write(path, stream =>
        {
            stream.Write(BitConverter.GetBytes((ulong)padded));
            stream.Write(json);
            for (int i = json.Length; i < padded; i++)
                stream.WriteByte((byte)' ');
            foreach (var (_, _, data) in tensors)
                stream.Write(MemoryMarshal.AsBytes(data.AsSpan()));
        });
    }
}
