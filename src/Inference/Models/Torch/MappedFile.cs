using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace QuantaProbe.Models.Torch;

/// <summary>
/// A read-only memory map of a whole file with bounds-checked reads: every offset and length is
/// checked against the file's length (not the view's page-rounded capacity) before it is touched.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;

    public string Path { get; }
    public long Length { get; }

    private MappedFile(string path, long length, MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        Path = path;
        Length = length;
        _map = map;
        _view = view;
        byte* basePtr = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
        _start = basePtr + _view.PointerOffset;
    }

    /// <summary>Maps <paramref name="path"/>, which must hold at least one byte.</summary>
    public static MappedFile Open(string path, long length)
    {
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(path, length, map, view);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    public bool Contains(long offset, long count) => offset >= 0 && count >= 0 && offset <= Length && count <= Length - offset;

    /// <summary>Bytes [offset, offset + count) of the file; the caller has checked them with <see cref="Contains"/>.</summary>
    public ReadOnlySpan<byte> Span(long offset, int count)
    {
        if (!Contains(offset, count))
            throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{count}) is outside the {Length}-byte file {Path}");
        return new ReadOnlySpan<byte>(_start + offset, count);
    }

    /// <summary>The address of bytes [offset, offset + count), valid until the file is disposed.</summary>
    public nint Address(long offset, long count) =>
        Contains(offset, count) ? (nint)(_start + offset)
            : throw new ArgumentOutOfRangeException(nameof(offset), $"[{offset}, +{count}) is outside the {Length}-byte file {Path}");

    /// <summary>
    /// Drops this process's mapping of the whole pages within [offset, offset + count) (Linux, advice only): the bytes
    /// stay in the file and the page cache, and are mapped again if read, but stop counting in the resident set.
    /// </summary>
    public void Release(long offset, long count)
    {
        if (!OperatingSystem.IsLinux() || !Contains(offset, count))
            return;
        long page = Environment.SystemPageSize;
        long first = ((long)_start + offset + page - 1) / page * page;
        long end = ((long)_start + offset + count) / page * page;
        if (end > first)
            _ = Madvise((nint)first, (nuint)(end - first), MadviseDontNeed);
    }

    private const int MadviseDontNeed = 4;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(nint address, nuint length, int advice);

    public ushort UInt16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(Span(offset, 2));
    public uint UInt32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(Span(offset, 4));
    public ulong UInt64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(Span(offset, 8));

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
