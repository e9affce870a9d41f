using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Corpus;

/// <summary>
/// The files under a corpus folder, in ordinal order of their relative paths. Links are followed, but
/// each folder is walked once and each file read once, by identity (device and inode): a link back to
/// a parent (<c>loop -&gt; ..</c>) or a second link to a folder or file already listed adds nothing.
/// </summary>
internal static class CorpusFolderWalk
{
    private static readonly EnumerationOptions OneLevel = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };

    public static List<FileInfo> Files(string root, Func<string, bool> wanted)
    {
        var found = new List<(string Relative, string Path, FileStatus Status)>();
        var walked = new HashSet<(ulong, ulong)>();
        var folders = new Queue<string>([root]);
        while (folders.TryDequeue(out var folder))
        {
            var status = FileStatus.Of(folder);
            if (!walked.Add((status.Device, status.Inode)))
                continue;
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder, "*", OneLevel).Order(StringComparer.Ordinal))
            {
                var kind = FileStatus.Of(entry);
                if (kind.Kind == FileKind.Directory)
                    folders.Enqueue(entry);
                else if (wanted(entry))
                    found.Add((Path.GetRelativePath(root, entry), entry, kind));
            }
        }
        var read = new HashSet<(ulong, ulong)>();
        var files = new List<FileInfo>();
        foreach (var (_, path, status) in found.OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            RegularFile.Require(path);
            // A link whose target is missing is listed, so that reading it names it.
            if (status.Kind == FileKind.Missing || read.Add((status.Device, status.Inode)))
                files.Add(new FileInfo(path));
        }
        return files;
    }
}
