using System.Text;

namespace QuantaProbe.Core;

/// <summary>
/// Writes a file under a hidden temporary name and renames it when complete, so readers see the old file or
/// the whole new one. Each writer has its own temporary (.NAME.RANDOM.tmp): shards of one run may write the
/// same shared file (ingest.json, a gradient graph) at the same moment, and a shared temporary name let one
/// truncate or rename the other's half-written file. A writer holds an exclusive lock on its temporary until
/// it is renamed; temporaries nobody holds were left by a killed process and are removed by the next write.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write) =>
        WriteAsync(path, stream => { write(stream); return Task.CompletedTask; }).GetAwaiter().GetResult();

    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        RemoveAbandonedTemporaries(full);
        var (temp, stream) = CreateTemporary(full);
        try
        {
            await write(stream);
            stream.Flush(flushToDisk: true);
            // Rename while the lock is held, so that no other writer takes the temporary for abandoned; Windows
            // cannot rename a file it holds open, and has no other writer's cleanup to fear there.
            if (OperatingSystem.IsWindows())
                stream.Dispose();
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            stream.Dispose();
            File.Delete(temp);
            throw;
        }
        finally
        {
            stream.Dispose();
        }
    }

    public static void WriteAllText(string path, string contents) =>
        Write(path, s => s.Write(Encoding.UTF8.GetBytes(contents)));

    /// <summary>
    /// A new temporary, locked. Another writer's cleanup can take a file between its creation and its lock
    /// (and delete it): then this one was not ours to write, and a fresh name is tried.
    /// </summary>
    private static (string Path, FileStream Stream) CreateTemporary(string full)
    {
        for (int attempt = 0; ; attempt++)
        {
            string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            FileStream stream;
            try
            {
                stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            }
            catch (IOException) when (attempt < 100 && Directory.Exists(Path.GetDirectoryName(full)))
            {
                // Created, then locked by a cleanup before this writer locked it; the cleanup deletes it.
                continue;
            }
            if (File.Exists(temp))
                return (temp, stream);
            stream.Dispose();
        }
    }

    private static void RemoveAbandonedTemporaries(string full)
    {
        string folder = Path.GetDirectoryName(full)!, name = Path.GetFileName(full);
        // .NAME.tmp is the single temporary of earlier versions.
        var candidates = Directory.EnumerateFiles(folder, $".{name}.*.tmp").Append(Path.Combine(folder, $".{name}.tmp"));
        foreach (var temp in candidates)
        {
            try
            {
                using (new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                    File.Delete(temp);
            }
            catch (IOException)
            {
                // Missing, or held by a live writer: not abandoned.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
