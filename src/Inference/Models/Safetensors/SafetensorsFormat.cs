using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Safetensors;

/// <summary>model.safetensors, or shards behind model.safetensors.index.json.</summary>
internal sealed class SafetensorsFormat() : SingleOrShardedFormat("model.safetensors", "model.safetensors.index.json", SafetensorsFile.Open)
{
    /// <summary>Every *.safetensors file of the folder: the recipe run folders' fingerprints were made with, kept so they stay valid.</summary>
    public override IReadOnlyList<string> FingerprintedFiles(string folder) => Directory.GetFiles(folder, "*.safetensors");
}
