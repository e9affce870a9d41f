using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Torch;

/// <summary>
/// Reads the central directory of a zip archive whose entries are stored uncompressed (as torch.save
/// writes them), zip64 included, and checks each entry's local header against it. Every count,
/// size and offset is checked against the file before it is used; nothing is inflated.
/// </summary>
internal static class ZipDirectory
{
    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const int EndLength = 22, Zip64LocatorLength = 20, Zip64EndLength = 56, CentralHeaderLength = 46, LocalHeaderLength = 30;
    private const ushort Zip64ExtraId = 0x0001;

    public static Dictionary<string, ZipEntry> Read(MappedFile file, Func<string, QuantaException> bad)
    {
        long end = FindEnd(file) ?? throw bad("no zip end-of-central-directory record (cut short, or not a torch.save archive)");
        ulong entries = file.UInt16(end + 10);
        ulong directorySize = file.UInt32(end + 12);
        ulong directoryOffset = file.UInt32(end + 16);
        if (entries == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF)
            (entries, directorySize, directoryOffset) = ReadZip64End(file, end, bad);

        if (directoryOffset > (ulong)file.Length || directorySize > (ulong)file.Length - directoryOffset)
            throw bad($"the central directory [{directoryOffset}, +{directorySize}) lies outside the {file.Length}-byte file");
        if (entries > directorySize / CentralHeaderLength)
            throw bad($"the central directory claims {entries} entries in {directorySize} bytes");

        var result = new Dictionary<string, ZipEntry>(StringComparer.Ordinal);
        long at = (long)directoryOffset, limit = (long)(directoryOffset + directorySize);
        for (ulong i = 0; i < entries; i++)
        {
            var entry = ReadCentralHeader(file, ref at, limit, bad);
            if (!result.TryAdd(entry.Name, entry))
                throw bad($"entry '{Printable.Of(entry.Name)}' appears twice");
        }
        return result;
    }

    private static long? FindEnd(MappedFile file)
    {
        // The record is the last 22 bytes unless a comment (at most 65,535 bytes) follows it.
        long last = file.Length - EndLength;
        for (long at = last; at >= 0 && at >= last - ushort.MaxValue; at--)
            if (file.UInt32(at) == EndSignature && at + EndLength + file.UInt16(at + 20) == file.Length)
                return at;
        return null;
    }

    private static (ulong Entries, ulong Size, ulong Offset) ReadZip64End(MappedFile file, long end, Func<string, QuantaException> bad)
    {
        long locator = end - Zip64LocatorLength;
        if (locator < 0 || file.UInt32(locator) != Zip64LocatorSignature)
            throw bad("the end record defers to a zip64 record but its locator is missing");
        ulong record = file.UInt64(locator + 8);
        if (record > (ulong)locator || (ulong)locator - record < Zip64EndLength || file.UInt32((long)record) != Zip64EndSignature)
            throw bad($"the zip64 end record at {record} is missing or overlaps its locator");
        long r = (long)record;
        return (file.UInt64(r + 32), file.UInt64(r + 40), file.UInt64(r + 48));
    }

    private static ZipEntry ReadCentralHeader(MappedFile file, ref long at, long limit, Func<string, QuantaException> bad)
    {
        if (limit - at < CentralHeaderLength || file.UInt32(at) != CentralHeaderSignature)
            throw bad($"central directory entry at {at} is malformed");
        ushort flags = file.UInt16(at + 8);
        ushort method = file.UInt16(at + 10);
        uint crc = file.UInt32(at + 16);
        ulong compressed = file.UInt32(at + 20);
        ulong size = file.UInt32(at + 24);
        int nameLength = file.UInt16(at + 28), extraLength = file.UInt16(at + 30), commentLength = file.UInt16(at + 32);
        ulong localOffset = file.UInt32(at + 42);
        long variable = (long)nameLength + extraLength + commentLength;
        if (limit - at - CentralHeaderLength < variable)
            throw bad($"central directory entry at {at} runs past the directory");
        var nameBytes = file.Span(at + CentralHeaderLength, nameLength);
        string name = DecodeName(nameBytes, bad);
        ReadZip64Extra(file, at + CentralHeaderLength + nameLength, extraLength, ref size, ref compressed, ref localOffset, name, bad);
        at += CentralHeaderLength + variable;

        if ((flags & 1) != 0)
            throw bad($"entry '{Printable.Of(name)}' is encrypted");
        if (method != 0 || compressed != size)
            throw bad($"entry '{Printable.Of(name)}' is compressed (method {method}); torch.save stores entries uncompressed, re-save the checkpoint with torch.save");
        if (localOffset > (ulong)file.Length || (ulong)file.Length - localOffset < LocalHeaderLength)
            throw bad($"entry '{Printable.Of(name)}' has its local header at {localOffset}, outside the {file.Length}-byte file");

        long local = (long)localOffset;
        if (file.UInt32(local) != LocalHeaderSignature)
            throw bad($"entry '{Printable.Of(name)}' has no local header at {local}");
        int localName = file.UInt16(local + 26), localExtra = file.UInt16(local + 28);
        long data = local + LocalHeaderLength + localName + localExtra;
        if (!file.Contains(local + LocalHeaderLength, localName) || !file.Span(local + LocalHeaderLength, localName).SequenceEqual(nameBytes)
            || file.UInt16(local + 8) != method)
            throw bad($"entry '{Printable.Of(name)}': its local header disagrees with the central directory");
        if (size > (ulong)file.Length || !file.Contains(data, (long)size))
            throw bad($"entry '{Printable.Of(name)}' holds {size} bytes at {data}, past the end of the {file.Length}-byte file");
        return new ZipEntry(name, data, (long)size, crc);
    }

    /// <summary>Zip64 keeps sizes and offsets that do not fit 32 bits in an extra field, in this order, each present only if its 32-bit field is 0xFFFFFFFF.</summary>
    private static void ReadZip64Extra(MappedFile file, long at, int length, ref ulong size, ref ulong compressed, ref ulong localOffset, string name, Func<string, QuantaException> bad)
    {
        bool needsSize = size == 0xFFFFFFFF, needsCompressed = compressed == 0xFFFFFFFF, needsOffset = localOffset == 0xFFFFFFFF;
        if (!needsSize && !needsCompressed && !needsOffset)
            return;
        long end = at + length;
        while (end - at >= 4)
        {
            ushort id = file.UInt16(at);
            int fieldLength = file.UInt16(at + 2);
            long field = at + 4;
            if (end - field < fieldLength)
                break;
            if (id == Zip64ExtraId)
            {
                int needed = 8 * ((needsSize ? 1 : 0) + (needsCompressed ? 1 : 0) + (needsOffset ? 1 : 0));
                if (fieldLength < needed)
                    break;
                if (needsSize) { size = file.UInt64(field); field += 8; }
                if (needsCompressed) { compressed = file.UInt64(field); field += 8; }
                if (needsOffset) localOffset = file.UInt64(field);
                return;
            }
            at = field + fieldLength;
        }
        throw bad($"entry '{Printable.Of(name)}' needs a zip64 extra field but has none that fits");
    }

    private static string DecodeName(ReadOnlySpan<byte> bytes, Func<string, QuantaException> bad)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw bad("an entry name is not UTF-8");
        }
    }
}
