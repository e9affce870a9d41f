using System.Text.Json.Nodes;
using QuantaProbe.Core;

namespace QuantaProbe.Run;

/// <summary>
/// sha256 of every input file of a run (config, corpus, tokenizer, checkpoint files). A file whose
/// size and modification time match the previous record is not hashed again, so a resume of a
/// run over a large family costs a directory listing, not a re-read of its weights. A file that is a
/// link (a hub snapshot's, into blobs/) is hashed, sized and timed by the blob it points to.
/// </summary>
internal static class InputHashes
{
    public static JsonObject Compute(RunConfig config, JsonObject? previous, CancellationToken cancel)
    {
        var known = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (previous?["files"] is JsonArray files)
            foreach (var f in files.OfType<JsonObject>())
                if (f["path"]?.GetValue<string>() is { } p)
                    known[p] = f;

        var result = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string role, string path)
        {
            cancel.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            if (!seen.Add(info.FullName))
                return; // e.g. the tokenizer.json inside a checkpoint folder: recorded once, under its first role
            // A hub snapshot's files are links into blobs/: the blob's content, size and time are the file's.
            var content = LinkedFile.Resolve(path);
            string? blob = info.LinkTarget is null ? null : content.FullName;
            string modified = content.LastWriteTimeUtc.ToString("O");
            string sha = known.TryGetValue(info.FullName, out var old) && old["bytes"]?.GetValue<long>() == content.Length
                && old["modified_utc"]?.GetValue<string>() == modified && old["blob"]?.GetValue<string>() == blob
                ? old["sha256"]!.GetValue<string>()
                : Sha256File.Of(content.FullName);
            var entry = new JsonObject { ["role"] = role, ["path"] = info.FullName, ["bytes"] = content.Length, ["modified_utc"] = modified, ["sha256"] = sha };
            if (blob is not null)
                entry["blob"] = blob;
            result.Add(entry);
        }

        Add("config", config.ConfigPath);
        Add("tokenizer", config.Tokenizer);
        foreach (var file in FilesOf(config.Corpus))
            Add("corpus", file);
        foreach (var model in config.Family)
            foreach (var file in FilesOf(model.Path).Where(f => !Path.GetFileName(f).StartsWith('.')))
                Add("model:" + model.ModelName, file);
        return new JsonObject { ["files"] = result, ["hub"] = HubInputs.Of(config) };
    }

    /// <summary>The input files whose content changed since <paramref name="previous"/> (the config itself may change).</summary>
    public static IEnumerable<string> Changed(JsonObject previous, JsonObject current)
    {
        var before = previous["files"]!.AsArray().OfType<JsonObject>().Where(f => f["role"]?.GetValue<string>() != "config").DistinctBy(f => f["path"]!.GetValue<string>())
            .ToDictionary(f => f["path"]!.GetValue<string>(), f => f["sha256"]!.GetValue<string>());
        foreach (var f in current["files"]!.AsArray().OfType<JsonObject>())
            if (before.TryGetValue(f["path"]!.GetValue<string>(), out var sha) && sha != f["sha256"]!.GetValue<string>())
                yield return f["path"]!.GetValue<string>();
    }

    private static IEnumerable<string> FilesOf(string path) =>
        File.Exists(path) ? [Path.GetFullPath(path)]
        : Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(Path.GetFullPath).Order(StringComparer.Ordinal)
        : throw new QuantaException($"{path}: not found; fix the path in the run config (paths are relative to the config file)");
}
