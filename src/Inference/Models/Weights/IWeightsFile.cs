using QuantaProbe.Onnx;
namespace QuantaProbe.Models.Weights;

/// <summary>One validated weights file (a safetensors file, a torch.save archive): its tensors by name.</summary>
internal interface IWeightsFile : IDisposable
{
    string Path { get; }

    IEnumerable<string> Names { get; }

    bool Contains(string name);

    TensorInfo Info(string name);

    float[] ReadFloat32(string name);

    /// <summary>
    /// The tensor's bytes in place, where it is a F32/F16/BF16 tensor stored contiguously in row-major order
    /// (checked as a read would, except for non-finite values, which export refuses); false for any other layout.
    /// </summary>
    bool TryStored(string name, out StoredTensor tensor);

    /// <summary>Refuses the tensor as <see cref="ReadFloat32"/> would, without converting it.</summary>
    void CheckFloatWeight(string name);
}
