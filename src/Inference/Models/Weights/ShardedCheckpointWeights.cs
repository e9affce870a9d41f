using QuantaProbe.Onnx;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Weights;

/// <summary>
/// The tensors of a checkpoint folder in one format: its single weights file, or the shards its index's
/// weight_map lists (each tensor in exactly the shard the index names).
/// </summary>
internal sealed class ShardedCheckpointWeights : ICheckpointWeights
{
    private readonly List<IWeightsFile> _files;
    private readonly Dictionary<string, IWeightsFile> _owner;

    private ShardedCheckpointWeights(List<IWeightsFile> files, Dictionary<string, IWeightsFile> owner)
    {
        _files = files;
        _owner = owner;
    }

    public IEnumerable<string> Names => _owner.Keys;

    public IReadOnlyList<string> Files => _files.Select(f => f.Path).ToList();

    /// <summary>Opens <paramref name="singleFile"/> where present, else the shards of <paramref name="indexFile"/>.</summary>
    public static ShardedCheckpointWeights Open(string folder, string singleFile, string indexFile, Func<string, IWeightsFile> openFile)
    {
        string single = Path.Combine(folder, singleFile);
        if (File.Exists(single))
            return FromFiles([single], index: null, openFile);
        string index = Path.Combine(folder, indexFile);
        var shardOf = ShardIndex.Read(index);
        var shards = shardOf.Values.Distinct().Order(StringComparer.Ordinal).Select(s => Path.Combine(folder, s)).ToList();
        var weights = FromFiles(shards, index, openFile);
        foreach (var (name, shard) in shardOf)
            if (!weights._owner.TryGetValue(name, out var file) || Path.GetFileName(file.Path) != shard)
            {
                weights.Dispose();
                throw new QuantaException($"{index}: weight_map puts '{name}' in {shard} but that shard does not hold it; re-save the checkpoint.");
            }
        return weights;
    }

    private static ShardedCheckpointWeights FromFiles(IReadOnlyList<string> paths, string? index, Func<string, IWeightsFile> openFile)
    {
        var files = new List<IWeightsFile>();
        var owner = new Dictionary<string, IWeightsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var path in paths)
            {
                var file = openFile(path);
                files.Add(file);
                foreach (var name in file.Names)
                    if (!owner.TryAdd(name, file))
                        throw new QuantaException($"{path}: tensor '{name}' is also in {owner[name].Path}; {index ?? "the checkpoint"} must list each tensor once.");
            }
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
        return new ShardedCheckpointWeights(files, owner);
    }

    public bool Contains(string name) => _owner.ContainsKey(name);

    public TensorInfo Info(string name) => FileOf(name).Info(name);

    public float[] ReadFloat32(string name) => FileOf(name).ReadFloat32(name);

    public void CheckFloatWeight(string name) => FileOf(name).CheckFloatWeight(name);

    public bool TryStored(string name, out StoredTensor tensor) => FileOf(name).TryStored(name, out tensor);

    public string SourceOf(string name) => FileOf(name).Path;

    private IWeightsFile FileOf(string name) =>
        _owner.TryGetValue(name, out var file)
            ? file
            : throw new QuantaException($"{_files.FirstOrDefault()?.Path ?? "checkpoint"}: tensor '{name}' is missing; the checkpoint is incomplete or not a GPT-NeoX model.");

    public void Dispose()
    {
        foreach (var f in _files) f.Dispose();
    }
}
