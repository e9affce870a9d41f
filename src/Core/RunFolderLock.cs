namespace QuantaProbe.Core;

/// <summary>
/// Keeps two processes from writing one run folder: an exclusive OS lock (flock on Linux, held by the
/// open file, so it is released when the process dies, even by kill -9) on RUN/.lock/&lt;scope&gt;.
/// The scope is "all" for an unsharded writer and "shard-i-of-n" for a shard, so shards of one run
/// write side by side while an unsharded writer excludes them all. Re-entrant within a process (a
/// `quanta run` holds it while the stages it calls take it again).
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FolderName = ".lock";
    private const string WholeRun = "all";

    private static readonly Dictionary<string, (FileStream Stream, int Holders)> Held = new(StringComparer.Ordinal);
    private readonly string _key;
    private bool _disposed;

    private RunFolderLock(string key) => _key = key;

    public static RunFolderLock Acquire(string runFolder, ShardSpec shard)
    {
        RefuseFile(runFolder);
        string folder = Path.Combine(Path.GetFullPath(runFolder), FolderName);
        string scope = shard.Count == 1 ? WholeRun : $"shard-{shard.Index}-of-{shard.Count}";
        string path = Path.Combine(folder, scope);
        lock (Held)
        {
            if (Held.TryGetValue(path, out var held))
            {
                Held[path] = (held.Stream, held.Holders + 1);
                return new RunFolderLock(path);
            }
            Directory.CreateDirectory(folder);
            var stream = TryLock(path) ?? throw Busy(runFolder, scope);
            try
            {
                // The whole-run scope and the shard scopes exclude each other: probe the others.
                foreach (var other in Directory.GetFiles(folder))
                {
                    bool conflicts = scope == WholeRun ? other != path : Path.GetFileName(other) == WholeRun;
                    if (!conflicts || Held.ContainsKey(other))
                        continue;
                    if (!IsFree(other))
                        throw Busy(runFolder, Path.GetFileName(other));
                }
            }
            catch
            {
                stream.Dispose();
                throw;
            }
            Held[path] = (stream, 1);
            return new RunFolderLock(path);
        }
    }

    public void Dispose()
    {
        lock (Held)
        {
            if (_disposed)
                return;
            _disposed = true;
            var held = Held[_key];
            if (held.Holders > 1)
                Held[_key] = (held.Stream, held.Holders - 1);
            else
            {
                held.Stream.Dispose();
                Held.Remove(_key);
            }
        }
    }

    /// <summary>Throws the one-line error when the run folder's path names something that is not a folder.</summary>
    public static void RefuseFile(string runFolder)
    {
        if (File.Exists(runFolder))
            throw new QuantaException($"{runFolder}: is a file, not a run folder; name a new folder (or an existing run folder) for the run");
    }

    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>
    /// Whether no process holds <paramref name="path"/>, checked with a shared lock: shards starting together
    /// probe RUN/.lock/all at the same moment, and an exclusive probe would look like a writer to the other.
    /// </summary>
    private static bool IsFree(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return true;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static QuantaException Busy(string runFolder, string scope) =>
        new($"{runFolder}: another quanta process is writing this run ({FolderName}/{scope} is locked); wait for it to end, or give this one another run folder");
}
