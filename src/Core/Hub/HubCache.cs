namespace QuantaProbe.Core.Hub;

/// <summary>
/// The local Hugging Face hub cache (what <c>huggingface-cli download</c> fills): <c>--cache-dir</c>
/// (or a run config's <c>cache_dir</c>) if given, else <c>HF_HUB_CACHE</c>, else <c>HF_HOME/hub</c>,
/// else <c>XDG_CACHE_HOME/huggingface/hub</c>, else <c>~/.cache/huggingface/hub</c>, as huggingface_hub
/// itself looks. Nothing is ever downloaded: a model that is not here is an error that gives the
/// command that downloads it.
/// </summary>
public sealed class HubCache
{
    private HubCache(string root, bool given) => (Root, Given) = (root, given);

    public string Root { get; }

    /// <summary>True when the folder was given explicitly (so the download command must name it too).</summary>
    public bool Given { get; }

    /// <summary>The cache folder: <paramref name="cacheDir"/> if given, else from the environment as huggingface_hub finds it.</summary>
    public static HubCache Locate(string? cacheDir, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrEmpty(cacheDir))
            return new HubCache(Path.GetFullPath(cacheDir), given: true);
        environment ??= Environment.GetEnvironmentVariable;
        string? Variable(string name) => environment(name) is { Length: > 0 } v ? ExpandHome(v, environment) : null;
        string root = Variable("HF_HUB_CACHE") ?? Variable("HUGGINGFACE_HUB_CACHE")
            ?? (Variable("HF_HOME") is { } home ? Path.Combine(home, "hub") : null)
            ?? (Variable("XDG_CACHE_HOME") is { } xdg ? Path.Combine(xdg, "huggingface", "hub") : null)
            ?? Path.Combine(Home(environment), ".cache", "huggingface", "hub");
        return new HubCache(Path.GetFullPath(root), given: false);
    }

    /// <summary>The repository folder of <paramref name="reference"/> (models--ORG--NAME), present or not.</summary>
    public string RepoFolder(HubReference reference) => Path.Combine(Root, reference.CacheFolderName);

    /// <summary>
    /// The snapshot folder <paramref name="reference"/> names: its ref (refs/REVISION holds the commit)
    /// or the commit itself, whose snapshot must exist and hold no link to a missing blob.
    /// </summary>
    public HubSnapshot Resolve(HubReference reference)
    {
        string repo = RepoFolder(reference);
        if (!Directory.Exists(repo))
            throw NotCached(reference, $"not in the Hugging Face cache {Root} (no {reference.CacheFolderName})");
        string commit = reference.IsCommit ? reference.Revision : ReadRef(reference, repo);
        string snapshot = Path.Combine(repo, "snapshots", commit);
        if (!Directory.Exists(snapshot))
            throw NotCached(reference, reference.IsCommit
                ? $"commit {commit} is not in the Hugging Face cache (no {Path.Combine(repo, "snapshots", commit)})"
                : $"refs/{reference.Revision} names commit {commit}, whose snapshot {snapshot} is missing (an interrupted download)");
        var result = new HubSnapshot(reference, commit, snapshot, this);
        if (result.MissingBlobs().FirstOrDefault() is { } dangling)
            throw NotCached(reference, $"{dangling} links to a blob that is missing (an incomplete download)");
        return result;
    }

    /// <summary>The exact command that puts <paramref name="reference"/> (or only <paramref name="files"/> of it) into this cache.</summary>
    public string DownloadCommand(HubReference reference, params string[] files) =>
        $"huggingface-cli download {reference.RepoId}{string.Concat(files.Select(f => " " + f))} --revision {reference.Revision}"
        + (Given ? $" --cache-dir {Quoted(Root)}" : "");

    /// <summary>One line: what is missing and the command that downloads it.</summary>
    public QuantaException NotCached(HubReference reference, string why, params string[] files) =>
        new($"{reference}: {why}; download it with: {DownloadCommand(reference, files)}");

    private string ReadRef(HubReference reference, string repo)
    {
        string refFile = Path.Combine(repo, "refs", reference.Revision);
        if (!File.Exists(refFile))
            throw NotCached(reference, $"revision {reference.Revision} is not in the Hugging Face cache (no {refFile})");
        string commit = File.ReadAllText(refFile).Trim();
        if (!HubReference.TryParse($"{reference.RepoId}@{commit}", out var pinned) || !pinned.IsCommit)
            throw NotCached(reference, $"{refFile} does not hold a 40-hex commit hash (a damaged cache)");
        return commit;
    }

    private static string Home(Func<string, string?> environment) =>
        environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string ExpandHome(string path, Func<string, string?> environment) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home(environment), path.TrimStart('~').TrimStart('/')) : path;

    private static string Quoted(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '\\') ? $"'{path.Replace("'", "'\\''")}'" : path;
}
