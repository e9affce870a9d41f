using System.IO.MemoryMappedFiles;
using QuantaProbe.Core;
using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Safetensors;

/// <summary>A validated, memory-mapped safetensors file whose float tensors are read as float32.</summary>
internal sealed class SafetensorsFile : IWeightsFile
{
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
        var info = Get(name);
        if (!SafetensorsDType.IsFloatWeight(info.DType))
            throw new QuantaException($"{Path}: tensor '{name}' is {info.DType}; only F32, F16 and BF16 weights are supported, convert the checkpoint.");
        if (info.ElementCount > Array.MaxLength)
            throw new QuantaException($"{Path}: tensor '{name}' has {info.ElementCount} elements, more than one array can hold.");

        var result = new float[info.ElementCount];
        int elementSize = info.DType == "F32" ? 4 : 2;
        unsafe
        {
            byte* basePtr = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePtr);
            try
            {
                byte* start = basePtr + _view.PointerOffset + info.Begin;
                // Spans index with int, so tensors over 2 GB convert in chunks.
                const int chunk = 1 << 24;
                for (long first = 0; first < result.LongLength; first += chunk)
                {
                    int count = (int)Math.Min(chunk, result.LongLength - first);
                    var bytes = new ReadOnlySpan<byte>(start + first * elementSize, count * elementSize);
                    var values = result.AsSpan((int)first, count);
                    FloatConversion.ToFloat32(bytes, info.DType, values);
                    NonFiniteCheck.Check(values, first, Path, name);
                }
            }
            finally
            {
                _view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        return result;
    }

    public void Dispose()
    {
        _view.Dispose();
        _map.Dispose();
    }
}
