using System.Runtime.InteropServices;
using Google.Protobuf;
using QuantaProbe.Inference.Onnx.Proto;

namespace QuantaProbe.Inference.Onnx;

/// <summary>
/// Turns float32 weights into initializers: inline raw_data, or (for models whose weights pass
/// the protobuf 2 GB limit) ONNX external data appended to one side file next to the model.
/// </summary>
internal sealed class InitializerStore : IDisposable
{
    // Offsets are page-aligned so the runtime can memory-map the side file.
    private const int Alignment = 4096;

    private readonly FileStream? _external;
    private readonly string? _externalName;

    private InitializerStore(FileStream? external, string? externalName)
    {
        _external = external;
        _externalName = externalName;
    }

    public bool IsExternal => _external is not null;

    public static InitializerStore Inline() => new(null, null);

    /// <summary>External data written to <paramref name="tempPath"/>; tensors reference it as <paramref name="finalName"/>.</summary>
    public static InitializerStore External(string tempPath, string finalName) =>
        new(new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20), finalName);

    public TensorProto Add(string name, float[] data, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        if (_external is null)
        {
            tensor.RawData = ByteString.CopyFrom(bytes);
            return tensor;
        }

        long padding = (Alignment - _external.Position % Alignment) % Alignment;
        _external.Write(new byte[padding]);
        long offset = _external.Position;
        _external.Write(bytes);
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = _externalName });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return tensor;
    }

    /// <summary>Flushes the side file to disk; call before renaming it into place.</summary>
    public void Complete()
    {
        _external?.Flush(flushToDisk: true);
        _external?.Dispose();
    }

    public void Dispose() => _external?.Dispose();
}
