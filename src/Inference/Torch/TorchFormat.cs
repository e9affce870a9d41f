using QuantaProbe.Inference.Weights;

namespace QuantaProbe.Inference.Torch;

/// <summary>pytorch_model.bin, or shards behind pytorch_model.bin.index.json (as the Pythia step revisions ship).</summary>
internal sealed class TorchFormat : IWeightsFormat
{
    public string SingleFileName => "pytorch_model.bin";
    public string IndexFileName => "pytorch_model.bin.index.json";

    public bool IsPresentIn(string folder) =>
        File.Exists(Path.Combine(folder, SingleFileName)) || File.Exists(Path.Combine(folder, IndexFileName));

    public ICheckpointWeights Open(string folder) => ShardedCheckpointWeights.Open(folder, SingleFileName, IndexFileName, TorchCheckpointFile.Open);

    public IReadOnlyList<string> FingerprintedFiles(string folder)
    {
        string single = Path.Combine(folder, SingleFileName);
        return File.Exists(single) ? [single] : ShardIndex.Shards(Path.Combine(folder, IndexFileName), folder);
    }
}
