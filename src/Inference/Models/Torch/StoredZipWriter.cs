using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace QuantaProbe.Models.Torch;

/// <summary>
/// Writes a zip archive of stored (uncompressed) entries as torch.save lays them out: each entry's data
/// 64-byte aligned (padding in the local header's extra field), zip64 records where sizes or offsets need
/// them, or always when asked (so readers' zip64 paths can be tested without 4 GB files).
/// </summary>
internal sealed class StoredZipWriter(Stream stream, bool forceZip64 = false)
{
    private const int Alignment = 64;
    private const ushort PaddingExtraId = 0x4246; // "FB", the id PyTorch's writer gives its padding
    private readonly List<(byte[] Name, long Offset, long Size, uint Crc)> _written = [];

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        long offset = stream.Position;
        bool zip64 = forceZip64 || offset >= uint.MaxValue;
        uint crc = Crc32.HashToUInt32(data);

        int zip64Length = zip64 ? 4 + 16 : 0;
        long dataStart = offset + 30 + nameBytes.Length + zip64Length;
        int padding = (int)((Alignment - (dataStart + 4) % Alignment) % Alignment) + 4; // a padding field needs its own 4-byte header
        var header = new byte[30 + nameBytes.Length + zip64Length + padding];
        var h = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], zip64 ? (ushort)45 : (ushort)20);
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], zip64 ? uint.MaxValue : (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], zip64 ? uint.MaxValue : (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], (ushort)(zip64Length + padding));
        nameBytes.CopyTo(h[30..]);
        var extra = h[(30 + nameBytes.Length)..];
        if (zip64)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(extra, 0x0001);
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], 16);
            BinaryPrimitives.WriteUInt64LittleEndian(extra[4..], (ulong)data.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(extra[12..], (ulong)data.Length);
            extra = extra[zip64Length..];
        }
        BinaryPrimitives.WriteUInt16LittleEndian(extra, PaddingExtraId);
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)(padding - 4));
        stream.Write(header);
        stream.Write(data);
        _written.Add((nameBytes, offset, data.Length, crc));
    }

    /// <summary>Writes the central directory and the end records.</summary>
    public void Finish()
    {
        long directoryStart = stream.Position;
        foreach (var (name, offset, size, crc) in _written)
        {
            bool zip64 = forceZip64 || size >= uint.MaxValue || offset >= uint.MaxValue;
            int zip64Length = zip64 ? 4 + 24 : 0;
            var entry = new byte[46 + name.Length + zip64Length];
            var e = entry.AsSpan();
            BinaryPrimitives.WriteUInt32LittleEndian(e, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(e[4..], zip64 ? (ushort)45 : (ushort)20);
            BinaryPrimitives.WriteUInt16LittleEndian(e[6..], zip64 ? (ushort)45 : (ushort)20);
            BinaryPrimitives.WriteUInt32LittleEndian(e[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(e[20..], zip64 ? uint.MaxValue : (uint)size);
            BinaryPrimitives.WriteUInt32LittleEndian(e[24..], zip64 ? uint.MaxValue : (uint)size);
            BinaryPrimitives.WriteUInt16LittleEndian(e[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(e[30..], (ushort)zip64Length);
            BinaryPrimitives.WriteUInt32LittleEndian(e[42..], zip64 ? uint.MaxValue : (uint)offset);
            name.CopyTo(e[46..]);
            if (zip64)
            {
                var extra = e[(46 + name.Length)..];
                BinaryPrimitives.WriteUInt16LittleEndian(extra, 0x0001);
                BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], 24);
                BinaryPrimitives.WriteUInt64LittleEndian(extra[4..], (ulong)size);
                BinaryPrimitives.WriteUInt64LittleEndian(extra[12..], (ulong)size);
                BinaryPrimitives.WriteUInt64LittleEndian(extra[20..], (ulong)offset);
            }
            stream.Write(entry);
        }
        long directorySize = stream.Position - directoryStart;
        bool zip64End = forceZip64 || _written.Count >= ushort.MaxValue || directoryStart >= uint.MaxValue || directorySize >= uint.MaxValue;
        if (zip64End)
            WriteZip64End(directoryStart, directorySize);

        var end = new byte[22];
        var s = end.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], zip64End ? ushort.MaxValue : (ushort)_written.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], zip64End ? ushort.MaxValue : (ushort)_written.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], zip64End ? uint.MaxValue : (uint)directorySize);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], zip64End ? uint.MaxValue : (uint)directoryStart);
        stream.Write(end);
    }

    private void WriteZip64End(long directoryStart, long directorySize)
    {
        long record = stream.Position;
        var buffer = new byte[56 + 20];
        var r = buffer.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(r, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(r[4..], 56 - 12);
        BinaryPrimitives.WriteUInt16LittleEndian(r[12..], 45);
        BinaryPrimitives.WriteUInt16LittleEndian(r[14..], 45);
        BinaryPrimitives.WriteUInt64LittleEndian(r[24..], (ulong)_written.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(r[32..], (ulong)_written.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(r[40..], (ulong)directorySize);
        BinaryPrimitives.WriteUInt64LittleEndian(r[48..], (ulong)directoryStart);
        var locator = r[56..];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(locator[8..], (ulong)record);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1);
        stream.Write(buffer);
    }
}
