namespace QuantaProbe.Core;

/// <summary>
/// The file a path names, following symbolic links: a hub cache's snapshot files link into its blobs,
/// and a link's own FileInfo has the link's length and time, not the content's.
/// </summary>
public static class LinkedFile
{
    public static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }
}
