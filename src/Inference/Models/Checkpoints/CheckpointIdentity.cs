using System.Globalization;
using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Checkpoints;

/// <summary>
/// The name, size and modification time of each file of a checkpoint folder that a weights reader
/// or the config reader opens (config.json, *.safetensors, *.bin, *.index.json), one per line. A
/// graph records it at export; a session refuses weights whose files no longer match it.
/// </summary>
internal static class CheckpointIdentity
{
    private static readonly string[] Suffixes = [".safetensors", ".bin", ".index.json"];

    public static string Of(string folder)
    {
        var text = new StringBuilder();
        foreach (var path in Files(folder))
        {
            var (size, modified) = Stat(path);
            text.Append(Path.GetFileName(path)).Append('\t').Append(size.ToString(CultureInfo.InvariantCulture))
                .Append('\t').Append(modified.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Null when <paramref name="folder"/>'s files match <paramref name="recorded"/>; else what differs, in a few words.</summary>
    public static string? Difference(string folder, string recorded)
    {
        if (!Directory.Exists(folder))
            return $"the checkpoint folder {folder} no longer exists (moved or deleted)";
        string current = Of(folder);
        if (current == recorded)
            return null;
        var before = Lines(recorded);
        var now = Lines(current);
        foreach (var (name, stat) in before)
            if (!now.TryGetValue(name, out var currentStat))
                return $"{Path.Combine(folder, name)} is gone";
            else if (currentStat != stat)
                return $"{Path.Combine(folder, name)} changed (size or modification time)";
        var added = now.Keys.FirstOrDefault(k => !before.ContainsKey(k));
        return added is null ? $"the files of {folder} changed" : $"{Path.Combine(folder, added)} was added";
    }

    private static Dictionary<string, string> Lines(string identity) =>
        identity.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static IEnumerable<string> Files(string folder) =>
        Directory.GetFiles(folder)
            .Where(f => Path.GetFileName(f) == "config.json" || Suffixes.Any(s => f.EndsWith(s, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);

    /// <summary>Size and modification time of the file itself, following symbolic links (a hub cache's snapshot links into its blobs).</summary>
    private static (long Size, long ModifiedTicks) Stat(string path)
    {
        var file = LinkedFile.Resolve(path);
        return (file.Length, file.LastWriteTimeUtc.Ticks);
    }
}
