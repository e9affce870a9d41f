namespace QuantaProbe.Models.Weights;

/// <summary>A way an HF checkpoint folder stores its weights (model.safetensors, pytorch_model.bin, …).</summary>
internal interface IWeightsFormat
{
    /// <summary>The single-file name and the shard index name, as a user would look for them.</summary>
    string SingleFileName { get; }
    string IndexFileName { get; }

    bool IsPresentIn(string folder);

    ICheckpointWeights Open(string folder);

    /// <summary>The files whose bytes identify the weights (what the weights fingerprint hashes).</summary>
    IReadOnlyList<string> FingerprintedFiles(string folder);
}
