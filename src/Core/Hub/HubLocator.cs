namespace QuantaProbe.Core.Hub;

/// <summary>A checkpoint folder or tokenizer file as given: a local path, or a hub name resolved to its cached snapshot.</summary>
public sealed record LocatedInput(string Path, HubSnapshot? Hub);

/// <summary>
/// Where a checkpoint or tokenizer given as text is: an existing local path always wins (relative to
/// <c>baseFolder</c>: a run config's folder, or null for the working directory); otherwise text spelled
/// <c>ORG/NAME[@REVISION]</c> is a hub name, resolved through the cache; <c>hf://ORG/NAME[@REVISION]</c>
/// is always a hub name. Anything else stays a path (and its reader says it is missing).
/// </summary>
public static class HubLocator
{
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>The hub name <paramref name="text"/> stands for, or null when it is a local path.</summary>
    public static HubReference? HubNameOf(string text, string? baseFolder)
    {
        if (HubReference.IsExplicit(text))
            return HubReference.Parse(text);
        if (Path.Exists(LocalPath(text, baseFolder)))
            return null;
        return HubReference.TryParse(text, out var reference) ? reference : null;
    }

    /// <summary>A checkpoint folder: the path, or the snapshot of a hub name, checked to hold a whole checkpoint.</summary>
    public static LocatedInput Checkpoint(string text, string? baseFolder, HubCache cache)
    {
        if (HubNameOf(text, baseFolder) is not { } reference)
            return new LocatedInput(LocalPath(text, baseFolder), null);
        var snapshot = Snapshot(text, reference, baseFolder, cache).RequireCheckpoint();
        return new LocatedInput(snapshot.Folder, snapshot);
    }

    /// <summary>A tokenizer.json: the path (always, for a name ending in .json), or the tokenizer.json of a hub name's snapshot.</summary>
    public static LocatedInput Tokenizer(string text, string? baseFolder, HubCache cache)
    {
        if ((text.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !HubReference.IsExplicit(text)) || HubNameOf(text, baseFolder) is not { } reference)
            return new LocatedInput(LocalPath(text, baseFolder), null);
        var snapshot = Snapshot(text, reference, baseFolder, cache);
        return new LocatedInput(snapshot.RequireFile(TokenizerFile), snapshot);
    }

    private static HubSnapshot Snapshot(string text, HubReference reference, string? baseFolder, HubCache cache)
    {
        if (!HubReference.IsExplicit(text) && !Directory.Exists(cache.RepoFolder(reference)))
            throw cache.NotCached(reference, $"neither a local path ({Path.GetFullPath(LocalPath(text, baseFolder))}) nor in the Hugging Face cache {cache.Root} (no {reference.CacheFolderName})");
        return cache.Resolve(reference);
    }

    /// <summary>Relative to <paramref name="baseFolder"/>; with none (the working directory), the text as given, so messages show what the user typed.</summary>
    private static string LocalPath(string text, string? baseFolder) => baseFolder is null ? text : Path.GetFullPath(Path.Combine(baseFolder, text));
}
