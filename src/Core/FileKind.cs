using System.Runtime.InteropServices;

namespace QuantaProbe.Core;

/// <summary>What a path names, as the file system says before anything opens it.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    SymbolicLink,
}

/// <summary>A file's type and identity (device and inode) from Linux statx, which has one layout on every architecture.</summary>
public readonly record struct FileStatus(FileKind Kind, ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxIno = 0x100;

    /// <summary>The status of <paramref name="path"/>, following links unless <paramref name="followLinks"/> is false.</summary>
    public static FileStatus Of(string path, bool followLinks = true)
    {
        if (!OperatingSystem.IsLinux())
            return Portable(path, followLinks);
        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxIno, ref MemoryMarshal.GetReference(buffer)) != 0)
            return new FileStatus(FileKind.Missing, 0, 0);
        ushort mode = BitConverter.ToUInt16(buffer[28..]);
        ulong inode = BitConverter.ToUInt64(buffer[32..]);
        ulong device = ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Regular,
        };
        return new FileStatus(kind, device, inode);
    }

    /// <summary>Elsewhere .NET tells folders from files only; identity is the full path.</summary>
    private static FileStatus Portable(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        if (!followLinks && info.LinkTarget is not null)
            return new FileStatus(FileKind.SymbolicLink, 0, (ulong)Path.GetFullPath(path).GetHashCode());
        var kind = Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return new FileStatus(kind, 0, (ulong)StringComparer.Ordinal.GetHashCode(target));
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);
}
