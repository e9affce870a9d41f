namespace QuantaProbe.Core;

/// <summary>
/// Refuses, before anything opens it for reading, an input that is not a regular file: opening a FIFO
/// blocks until a writer comes (for ever, and past Ctrl-C), and a device or socket is no data file.
/// </summary>
public static class RegularFile
{
    /// <summary>Throws the one-line error when <paramref name="path"/> exists and is not a regular file (or a link to one); a missing path is left to the caller.</summary>
    public static void Require(string path)
    {
        if (Describe(FileStatus.Of(path).Kind) is { } what)
            throw new QuantaException($"{path}: is {what}, not a regular file; quanta reads only regular files (or links to them): put the file itself there");
    }

    /// <summary>Whether <paramref name="path"/> is a regular file (or a link to one).</summary>
    public static bool Is(string path) => FileStatus.Of(path).Kind == FileKind.Regular;

    private static string? Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a folder",
        FileKind.Fifo => "a named pipe (FIFO)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => null,
    };
}
