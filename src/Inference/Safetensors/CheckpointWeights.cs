using System.Text.Json;
using QuantaProbe.Core;

namespace QuantaProbe.Inference.Safetensors;

/// <summary>
/// The tensors of an HF checkpoint folder: one model.safetensors, or shards listed by
/// model.safetensors.index.json's weight_map.
/// </summary>
internal sealed class CheckpointWeights : IDisposable
{
    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _owner;

    private CheckpointWeights(List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> owner)
    {
        _files = files;
        _owner = owner;
    }

    public IEnumerable<string> Names => _owner.Keys;

    public static CheckpointWeights Open(string folder)
    {
        string single = Path.Combine(folder, "model.safetensors");
        string index = Path.Combine(folder, "model.safetensors.index.json");
        if (File.Exists(single))
            return FromFiles([single], index: null);
        if (File.Exists(index))
            return FromIndex(index, folder);
        throw new QuantaException($"{folder}: no model.safetensors or model.safetensors.index.json; convert the checkpoint to safetensors (save_pretrained(safe_serialization=True)).");
    }

    private static CheckpointWeights FromIndex(string indexPath, string folder)
    {
        var shardOf = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new QuantaException($"{indexPath}: no weight_map object; re-save the sharded checkpoint.");
            foreach (var entry in map.EnumerateObject())
            {
                string? shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
                if (string.IsNullOrEmpty(shard) || Path.GetFileName(shard) != shard)
                    throw new QuantaException($"{indexPath}: weight_map entry '{entry.Name}' must name a shard file in the same folder.");
                shardOf[entry.Name] = shard;
            }
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{indexPath}: not valid JSON ({e.Message}); re-save the sharded checkpoint.", e);
        }

        var shards = shardOf.Values.Distinct().Order(StringComparer.Ordinal).Select(s => Path.Combine(folder, s)).ToList();
        var weights = FromFiles(shards, indexPath);
        foreach (var (name, shard) in shardOf)
            if (!weights._owner.TryGetValue(name, out var file) || Path.GetFileName(file.Path) != shard)
            {
                weights.Dispose();
                throw new QuantaException($"{indexPath}: weight_map puts '{name}' in {shard} but that shard does not hold it; re-save the checkpoint.");
            }
        return weights;
    }

    private static CheckpointWeights FromFiles(IReadOnlyList<string> paths, string? index)
    {
        var files = new List<SafetensorsFile>();
        var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var path in paths)
            {
                var file = SafetensorsFile.Open(path);
                files.Add(file);
                foreach (var name in file.Tensors.Keys)
                    if (!owner.TryAdd(name, file))
                        throw new QuantaException($"{path}: tensor '{name}' is also in {owner[name].Path}; {index ?? "the checkpoint"} must list each tensor once.");
            }
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
        return new CheckpointWeights(files, owner);
    }

    public bool Contains(string name) => _owner.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) => FileOf(name).Get(name);

    public float[] ReadFloat32(string name) => FileOf(name).ReadFloat32(name);

    public string SourceOf(string name) => FileOf(name).Path;

    private SafetensorsFile FileOf(string name) =>
        _owner.TryGetValue(name, out var file)
            ? file
            : throw new QuantaException($"{_files.FirstOrDefault()?.Path ?? "checkpoint"}: tensor '{name}' is missing; the checkpoint is incomplete or not a GPT-NeoX model.");

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
