using System.Text;

namespace QuantaProbe.Tests.Inference;

/// <summary>Writes safetensors files byte by byte, including deliberately broken ones.</summary>
internal static class SafetensorsWriter
{
    public static void Write(string path, string headerJson, byte[] data, ulong? claimedHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes(claimedHeaderLength ?? (ulong)header.Length));
        file.Write(header);
        file.Write(data);
    }

    public static byte[] Floats(params float[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();
}
