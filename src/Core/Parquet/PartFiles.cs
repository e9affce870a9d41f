namespace QuantaProbe.Core.Parquet;

/// <summary>
/// Names of part files and their temporaries. A part is written under a hidden temporary name
/// (readers globbing <c>part-*.parquet</c> never see it) and renamed when complete.
/// </summary>
public static class PartFiles
{
    public const string Pattern = "part-*.parquet";

    public static string Name(long index) => $"part-{index:D5}.parquet";

    public static string PathOf(string folder, long index) => Path.Combine(folder, Name(index));

    public static string TempPathOf(string folder, long index) => Path.Combine(folder, "." + Name(index) + ".tmp");

    /// <summary>Removes a temporary left by a killed run, for a part this process is about to write.</summary>
    public static void DeleteStaleTemp(string folder, long index)
    {
        var temp = TempPathOf(folder, index);
        if (File.Exists(temp))
            File.Delete(temp);
    }

    /// <summary>Removes the temporaries a killed run left for the parts of <paramref name="shard"/>; other shards' stay.</summary>
    public static void DeleteStaleTemps(string folder, ShardSpec shard)
    {
        if (!Directory.Exists(folder))
            return;
        foreach (var file in Directory.EnumerateFiles(folder, ".part-*.parquet.tmp"))
        {
            var name = Path.GetFileName(file);
            if (long.TryParse(name.AsSpan(".part-".Length, name.Length - ".part-".Length - ".parquet.tmp".Length), out long index) && shard.Owns(index))
                File.Delete(file);
        }
    }

    /// <summary>Indices of the complete part files in <paramref name="folder"/>.</summary>
    public static SortedSet<long> Complete(string folder)
    {
        var result = new SortedSet<long>();
        if (!Directory.Exists(folder))
            return result;
        foreach (var file in Directory.EnumerateFiles(folder, Pattern))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (long.TryParse(name.AsSpan("part-".Length), out long index) && Name(index) == Path.GetFileName(file))
                result.Add(index);
        }
        return result;
    }

    /// <summary>
    /// The complete parts whose key-value metadata hold every one of <paramref name="required"/>; a
    /// part written under other inputs (e.g. by a model since retrained) is not complete for this run.
    /// </summary>
    public static async Task<SortedSet<long>> CompleteMatchingAsync(string folder, IReadOnlyDictionary<string, string> required, string writtenBy)
    {
        var result = Complete(folder);
        if (required.Count == 0)
            return result;
        foreach (long p in result.ToList())
        {
            await using var reader = await RunPartFile.OpenAsync(PathOf(folder, p), writtenBy);
            if (required.Any(r => !reader.CustomMetadata.TryGetValue(r.Key, out var v) || v != r.Value))
                result.Remove(p);
        }
        return result;
    }

    /// <summary>Moves a finished temporary into place, replacing an older copy if one exists.</summary>
    public static void Commit(string tempPath, string finalPath) => File.Move(tempPath, finalPath, overwrite: true);
}
