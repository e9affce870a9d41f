using QuantaProbe.Inference.Weights;

namespace QuantaProbe.Inference.Safetensors;

/// <summary>model.safetensors, or shards behind model.safetensors.index.json.</summary>
internal sealed class SafetensorsFormat : IWeightsFormat
{
    public string SingleFileName => "model.safetensors";
    public string IndexFileName => "model.safetensors.index.json";

    public bool IsPresentIn(string folder) =>
        File.Exists(Path.Combine(folder, SingleFileName)) || File.Exists(Path.Combine(folder, IndexFileName));

    public ICheckpointWeights Open(string folder) => ShardedCheckpointWeights.Open(folder, SingleFileName, IndexFileName, SafetensorsFile.Open);

    /// <summary>Every *.safetensors file of the folder: the recipe run folders' fingerprints were made with, kept so they stay valid.</summary>
    public IReadOnlyList<string> FingerprintedFiles(string folder) => Directory.GetFiles(folder, "*.safetensors");
}
