using QuantaProbe.Core;
using System.Text.Json;

namespace QuantaProbe.Core.Hub;

/// <summary>
/// One revision of a hub repository in the local cache: snapshots/&lt;commit&gt;/, whose files are
/// links into ../../blobs (or plain copies where the filesystem has no links).
/// </summary>
public sealed record HubSnapshot(HubReference Reference, string Commit, string Folder, HubCache Cache)
{
    /// <summary>The commit spelled out: ORG/NAME@commit, which a moved branch or tag never changes.</summary>
    public string Pinned => $"{Reference.RepoId}@{Commit}";

    /// <summary>The path of <paramref name="file"/> in the snapshot; missing, it is an error with the command that downloads it.</summary>
    public string RequireFile(string file)
    {
        string path = Path.Combine(Folder, file);
        return File.Exists(path) ? path : throw Cache.NotCached(Reference, $"the cached snapshot {Folder} has no {file}", file);
    }

    /// <summary>
    /// Checks that the snapshot holds a whole checkpoint: config.json and its weights (safetensors or
    /// PyTorch .bin, single or every shard its index names); a partial download fails with the command.
    /// </summary>
    public HubSnapshot RequireCheckpoint()
    {
        RequireWhole("config.json");
        foreach (var (single, index) in WeightFiles)
        {
            if (File.Exists(Path.Combine(Folder, single)))
                return this;
            string indexPath = Path.Combine(Folder, index);
            if (!File.Exists(indexPath))
                continue;
            foreach (var shard in ShardsOf(indexPath))
                RequireWhole(shard);
            return this;
        }
        throw Cache.NotCached(Reference, $"the cached snapshot {Folder} has no weights ({string.Join(", ", WeightFiles.Select(w => w.Single))} or a sharded index)");
    }

    /// <summary>Files of the snapshot that are links to a blob that does not exist (a download cut short).</summary>
    public IEnumerable<string> MissingBlobs() =>
        new DirectoryInfo(Folder).EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Where(f => f.LinkTarget is not null && f.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
            .Select(f => f.FullName);

    private static readonly (string Single, string Index)[] WeightFiles =
    [
        ("model.safetensors", "model.safetensors.index.json"),
        ("pytorch_model.bin", "pytorch_model.bin.index.json"),
    ];

    private void RequireWhole(string file)
    {
        if (!File.Exists(Path.Combine(Folder, file)))
            throw Cache.NotCached(Reference, $"the cached snapshot {Folder} has no {file} (a partial download)");
    }

    private IEnumerable<string> ShardsOf(string indexPath)
    {
        RegularFile.Require(indexPath);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("weight_map", out var map) && map.ValueKind == JsonValueKind.Object)
                return map.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => p.Value.GetString()!).Distinct().ToList();
        }
        catch (JsonException) { }
        return []; // the checkpoint reader reports a damaged index with its own message
    }
}
