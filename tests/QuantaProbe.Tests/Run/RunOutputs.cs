using QuantaProbe.Core;

namespace QuantaProbe.Tests.Run;

/// <summary>The content of a run folder's data files (Parquet and manifests, not timings), for comparing two runs.</summary>
internal static class RunOutputs
{
    public static SortedDictionary<string, string> Hashes(string runFolder)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(runFolder, "*.parquet", SearchOption.AllDirectories))
            hashes[Path.GetRelativePath(runFolder, file)] = Sha256File.Of(file);
        return hashes;
    }

    /// <summary>Files a killed writer may leave: hidden temporaries (".NAME.RANDOM.tmp", ".part-k.parquet.tmp").</summary>
    public static string[] Temporaries(string runFolder) =>
        Directory.EnumerateFiles(runFolder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f).StartsWith('.') && f.EndsWith(".tmp", StringComparison.Ordinal)).ToArray();
}
