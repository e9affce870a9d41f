using QuantaProbe.Onnx;
namespace QuantaProbe.Models.Weights;

/// <summary>The named tensors of a checkpoint folder, in whichever weights format it holds them.</summary>
internal interface ICheckpointWeights : IDisposable
{
    IEnumerable<string> Names { get; }

    /// <summary>The weight files this checkpoint reads, in the order it opened them.</summary>
    IReadOnlyList<string> Files { get; }

    bool Contains(string name);

    TensorInfo Info(string name);

    /// <summary>A F32/F16/BF16 tensor as a new row-major float32 array; a non-finite value is refused naming the file.</summary>
    float[] ReadFloat32(string name);

    /// <summary>The tensor's bytes in its file, while the checkpoint stays open (see <see cref="IWeightsFile.TryStored"/>).</summary>
    bool TryStored(string name, out StoredTensor tensor);

    /// <summary>Refuses the tensor as <see cref="ReadFloat32"/> would (dtype, non-finite values), reading its bytes without converting them.</summary>
    void CheckFloatWeight(string name);

    /// <summary>The file that holds the tensor.</summary>
    string SourceOf(string name);
}
