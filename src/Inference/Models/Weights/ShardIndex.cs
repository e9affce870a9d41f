using System.Text.Json;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Weights;

/// <summary>An HF shard index (model.safetensors.index.json, pytorch_model.bin.index.json): its weight_map, tensor → shard file.</summary>
internal static class ShardIndex
{
    public static Dictionary<string, string> Read(string indexPath)
    {
        if (!File.Exists(indexPath))
            throw new QuantaException($"{indexPath}: not found; point at a checkpoint folder holding its weights.");
        var shardOf = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            RegularFile.Require(indexPath);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new QuantaException($"{indexPath}: no weight_map object; re-save the sharded checkpoint.");
            foreach (var entry in map.EnumerateObject())
            {
                string? shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : null;
                if (string.IsNullOrEmpty(shard) || Path.GetFileName(shard) != shard || shard is "." or "..")
                    throw new QuantaException($"{indexPath}: weight_map entry '{entry.Name}' must name a shard file in the same folder.");
                shardOf[entry.Name] = shard;
            }
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{indexPath}: not valid JSON ({e.Message}); re-save the sharded checkpoint.", e);
        }
        return shardOf;
    }

    /// <summary>The shard files the index names, each once, in ordinal order.</summary>
    public static List<string> Shards(string indexPath, string folder) =>
        Read(indexPath).Values.Distinct().Order(StringComparer.Ordinal).Select(s => Path.Combine(folder, s)).ToList();
}
