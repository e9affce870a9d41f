using QuantaProbe.Core;

namespace QuantaProbe.Tests;

/// <summary>Every file of a run folder and its bytes, without the writers' lock files (which differ between a sharded and a whole run).</summary>
internal static class FolderSnapshot
{
    public static SortedDictionary<string, byte[]> Of(string folder) => new(
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Contains(RunFolderLock.FolderName))
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);
}
