using System.Security.Cryptography;
using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Tests.Hub;

/// <summary>
/// A Hugging Face hub cache built by hand in a test folder, laid out as huggingface_hub lays it out:
/// models--ORG--NAME/refs/REVISION (the commit, no newline), snapshots/COMMIT/FILE as relative links
/// into ../../blobs/SHA256 (or plain copies, as on filesystems without links).
/// </summary>
internal sealed class HubCacheTree(string root)
{
    public string Root { get; } = Directory.CreateDirectory(root).FullName;

    /// <summary>Puts the files of <paramref name="source"/> (and <paramref name="extra"/> files) into the cache as <paramref name="repoId"/> at <paramref name="revision"/>; returns the commit.</summary>
    public string Add(string repoId, string revision, string source, bool links = true, params string[] extra)
    {
        string repo = RepoFolder(repoId);
        string commit = Sha256File.Of(Encoding.UTF8.GetBytes(repoId + "@" + revision))[..40];
        string snapshot = Directory.CreateDirectory(Path.Combine(repo, "snapshots", commit)).FullName;
        // An extra file replaces the source's file of the same name.
        var files = Directory.GetFiles(source).Concat(extra).GroupBy(Path.GetFileName).Select(g => g.Last());
        foreach (var file in files)
        {
            string target = Path.Combine(snapshot, Path.GetFileName(file));
            if (links)
            {
                string blob = Sha256File.Of(file);
                string blobPath = Path.Combine(Directory.CreateDirectory(Path.Combine(repo, "blobs")).FullName, blob);
                if (!File.Exists(blobPath))
                    File.Copy(file, blobPath);
                File.CreateSymbolicLink(target, Path.Combine("..", "..", "blobs", blob));
            }
            else
                File.Copy(file, target);
        }
        SetRef(repoId, revision, commit);
        return commit;
    }

    public void SetRef(string repoId, string revision, string commit)
    {
        string refFile = Path.Combine(RepoFolder(repoId), "refs", revision);
        Directory.CreateDirectory(Path.GetDirectoryName(refFile)!);
        File.WriteAllText(refFile, commit); // huggingface_hub writes no trailing newline
    }

    public string RepoFolder(string repoId) => Path.Combine(Root, "models--" + repoId.Replace("/", "--"));

    public string Snapshot(string repoId, string commit) => Path.Combine(RepoFolder(repoId), "snapshots", commit);

    /// <summary>The blob a snapshot's file links to.</summary>
    public string BlobOf(string repoId, string commit, string file) =>
        new FileInfo(Path.Combine(Snapshot(repoId, commit), file)).ResolveLinkTarget(returnFinalTarget: true)!.FullName;

    /// <summary>The environment of a quanta process that finds this cache through <paramref name="variable"/> only (HF_HUB_CACHE, HF_HOME or HOME).</summary>
    public static Dictionary<string, string?> Environment(string variable, string value)
    {
        var env = new Dictionary<string, string?> { ["HF_HUB_CACHE"] = null, ["HUGGINGFACE_HUB_CACHE"] = null, ["HF_HOME"] = null, ["XDG_CACHE_HOME"] = null };
        env[variable] = value;
        return env;
    }
}
