using QuantaProbe.Onnx;
using System.IO.MemoryMappedFiles;
using QuantaProbe.Core;
using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Safetensors;

/// <summary>A validated, memory-mapped safetensors file whose float tensors are read as float32.</summary>
internal sealed unsafe class SafetensorsFile : IWeightsFile
{
    private byte* _stored;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, IReadOnlyDictionary<string, SafetensorsTensorInfo> tensors)
    {
        Path = path;
        _map = map;
        _view = view;
        Tensors = tensors;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
            throw new QuantaException($"{path}: file not found; point at an HF checkpoint folder holding model.safetensors.");
        RegularFile.Require(path);
        IReadOnlyDictionary<string, SafetensorsTensorInfo> tensors;
        using (var stream = File.OpenRead(path))
            tensors = SafetensorsHeader.Read(stream, path);
        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        try
        {
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafetensorsFile(path, map, view, tensors);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    public SafetensorsTensorInfo Get(string name) =>
        Tensors.TryGetValue(name, out var info)
            ? info
            : throw new QuantaException($"{Path}: tensor '{name}' is missing; the checkpoint is incomplete or not a GPT-NeoX model.");

    public IEnumerable<string> Names => Tensors.Keys;

    public bool Contains(string name) => Tensors.ContainsKey(name);

    public TensorInfo Info(string name)
    {
        var info = Get(name);
        return new TensorInfo(info.Name, info.DType, info.Shape);
    }

    /// <summary>Reads a F32/F16/BF16 tensor into a new float32 array (row-major, the file's shape).</summary>
    public float[] ReadFloat32(string name)
    {
        var result = WeightArrays.Uninitialized(checked((int)FloatWeight(name).ElementCount));
        ReadFloat32(name, result);
        return result;
    }

    /// <summary>As <see cref="ReadFloat32(string)"/>, into the first elements of <paramref name="destination"/>.</summary>
    private void ReadFloat32(string name, float[] destination)
    {
        var info = FloatWeight(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.LongLength, info.ElementCount, nameof(destination));
        VisitChunks(info, (bytes, first) =>
        {
            var values = destination.AsSpan((int)first, bytes.Length / ElementSize(info));
            FloatConversion.ToFloat32(bytes, info.DType, values);
            NonFiniteCheck.Check(values, first, Path, name);
        });
    }

    /// <summary>Every safetensors tensor is contiguous and row-major: its bytes in the map, which stays acquired until disposal.</summary>
    public bool TryStored(string name, out StoredTensor tensor)
    {
        var info = FloatWeight(name);
        if (_stored is null)
        {
            byte* basePtr = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
            _stored = basePtr + _view.PointerOffset;
        }
        tensor = new StoredTensor(info.DType, (nint)(_stored + info.Begin), info.ElementCount * ElementSize(info));
        return true;
    }

    /// <summary>Refuses the tensor as <see cref="ReadFloat32"/> would (dtype, non-finite values), reading its bytes without converting them.</summary>
    public void CheckFloatWeight(string name)
    {
        var info = FloatWeight(name);
        VisitChunks(info, (bytes, first) => NonFiniteCheck.CheckRaw(bytes, info.DType, first, Path, name));
    }

    private SafetensorsTensorInfo FloatWeight(string name)
    {
        var info = Get(name);
        if (!SafetensorsDType.IsFloatWeight(info.DType))
            throw new QuantaException($"{Path}: tensor '{name}' is {info.DType}; only F32, F16 and BF16 weights are supported, convert the checkpoint.");
        if (info.ElementCount > Array.MaxLength)
            throw new QuantaException($"{Path}: tensor '{name}' has {info.ElementCount} elements, more than one array can hold.");
        return info;
    }

    private static int ElementSize(SafetensorsTensorInfo info) => info.DType == "F32" ? 4 : 2;

    private delegate void ChunkVisitor(ReadOnlySpan<byte> bytes, long firstElement);

    /// <summary>The tensor's bytes in the mapped file, in chunks (spans index with int, so tensors over 2 GB take several).</summary>
    private unsafe void VisitChunks(SafetensorsTensorInfo info, ChunkVisitor visitor)
    {
        int elementSize = ElementSize(info);
        byte* basePtr = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
        try
        {
            byte* start = basePtr + _view.PointerOffset + info.Begin;
            const int chunk = 1 << 24;
            for (long first = 0; first < info.ElementCount; first += chunk)
            {
                int count = (int)Math.Min(chunk, info.ElementCount - first);
                visitor(new ReadOnlySpan<byte>(start + first * elementSize, count * elementSize), first);
            }
        }
        finally
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    public void Dispose()
    {
        if (_stored is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _stored = null;
        }
        _view.Dispose();
        _map.Dispose();
    }
}
