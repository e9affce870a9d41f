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

    /// <summary>
    /// A 2-D F32/F16/BF16 tensor [rows, cols] as its row-major float32 transpose [cols, rows] (a Linear
    /// weight in MatMul's [in, out] layout), read through one buffer reused across calls.
    /// </summary>
    float[] ReadFloat32Transposed(string name);

    /// <summary>Refuses the tensor as <see cref="ReadFloat32"/> would (dtype, non-finite values), reading its bytes without converting them.</summary>
    void CheckFloatWeight(string name);

    /// <summary>The file that holds the tensor.</summary>
    string SourceOf(string name);
}
