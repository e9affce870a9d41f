using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace QuantaProbe.Core;

public static class Sha256File
{
    // One process often hashes a file twice (`quanta run` records its inputs, then ingest hashes the
    // tokenizer and export the weights): a file unchanged in length and modification time is read once.
    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> Known = new();

    public static string Of(string path)
    {
        var info = LinkedFile.Resolve(path);
        if (!info.Exists)
            return Hash(path); // the same FileNotFoundException as before
        RegularFile.Require(path);
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Known.TryGetValue(key, out var known))
            return known;
        string sha = Hash(info.FullName);
        // A file rewritten while it was read is not remembered under its old stamp.
        info.Refresh();
        if (info.Length == key.Length && info.LastWriteTimeUtc == key.LastWriteTimeUtc)
            Known[key] = sha;
        return sha;
    }

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
