using System.IO.Hashing;

namespace QuantaProbe.Models.Torch;

/// <summary>The CRC-32 a zip entry records, of bytes in memory or in a mapped file (in chunks: spans are int-sized).</summary>
internal static class ZipCrc
{
    private const int Chunk = 1 << 30;

    public static uint Of(ReadOnlySpan<byte> bytes) => Crc32.HashToUInt32(bytes);

    public static uint Of(MappedFile file, long offset, long length)
    {
        var crc = new Crc32();
        for (long done = 0; done < length; done += Chunk)
            crc.Append(file.Span(offset + done, (int)Math.Min(Chunk, length - done)));
        return crc.GetCurrentHashAsUInt32();
    }
}
