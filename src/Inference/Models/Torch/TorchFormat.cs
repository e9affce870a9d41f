using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Torch;

/// <summary>pytorch_model.bin, or shards behind pytorch_model.bin.index.json (as the Pythia step revisions ship).</summary>
internal sealed class TorchFormat() : SingleOrShardedFormat("pytorch_model.bin", "pytorch_model.bin.index.json", TorchCheckpointFile.Open)
{
    public override IReadOnlyList<string> FingerprintedFiles(string folder)
    {
        string single = Path.Combine(folder, SingleFileName);
        return File.Exists(single) ? [single] : ShardIndex.Shards(Path.Combine(folder, IndexFileName), folder);
    }
}
