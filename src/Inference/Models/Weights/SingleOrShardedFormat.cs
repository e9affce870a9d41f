namespace QuantaProbe.Models.Weights;

/// <summary>
/// A format whose weights are one file, or shards listed by an index's weight_map beside it
/// (HF's layout for both model.safetensors and pytorch_model.bin).
/// </summary>
internal abstract class SingleOrShardedFormat(string singleFileName, string indexFileName, Func<string, IWeightsFile> openFile) : IWeightsFormat
{
    public string SingleFileName => singleFileName;
    public string IndexFileName => indexFileName;

    public bool IsPresentIn(string folder) =>
        File.Exists(Path.Combine(folder, SingleFileName)) || File.Exists(Path.Combine(folder, IndexFileName));

    public ICheckpointWeights Open(string folder) => ShardedCheckpointWeights.Open(folder, SingleFileName, IndexFileName, openFile);

    public abstract IReadOnlyList<string> FingerprintedFiles(string folder);
}
