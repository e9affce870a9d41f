using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Onnx;

/// <summary>
/// A F32/F16/BF16 tensor's bytes where its weights file stores them (row-major and contiguous, little-endian),
/// valid while the file stays open: a session binds them without copying or converting anything.
/// </summary>
internal readonly record struct StoredTensor(string DType, nint Address, long ByteLength)
{
    /// <summary>The ONNX element type of <see cref="DType"/> (safetensors' names).</summary>
    public DataType OnnxType => DType switch
    {
        "F32" => DataType.Float,
        "F16" => DataType.Float16,
        "BF16" => DataType.Bfloat16,
        _ => throw new InvalidOperationException($"no weights are bound in place as {DType}"),
    };
}
