namespace QuantaProbe.Onnx;

/// <summary>
/// A F32/F16/BF16 tensor's bytes where its weights file stores them (row-major and contiguous, little-endian),
/// valid while the file stays open: a session binds them without copying or converting anything.
/// </summary>
internal readonly record struct StoredTensor(string DType, nint Address, long ByteLength);
