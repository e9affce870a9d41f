using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Onnx;

/// <summary>
/// Where a graph builder's float32 initializers go. Exported graphs hold structure only: each
/// initializer is declared (name, type, dims) with a placeholder external-data location and no
/// bytes. At session start the same builder runs again on a <see cref="Collect"/> store, whose
/// arrays are bound to the session (<see cref="Runtime.BoundWeights"/>). Data is produced lazily,
/// so an export reads only the checkpoint's headers.
/// </summary>
internal sealed class InitializerStore
{
    /// <summary>
    /// The external-data location every initializer names: the model's own folder. ONNX Runtime
    /// checks at load that the location exists beside the model, and the session's bound values
    /// replace the data before anything reads it; a graph opened without them fails to load (a folder is no data file).
    /// </summary>
    public const string PlaceholderLocation = ".";

    /// <summary>Initializers whose data <see cref="Complete"/> still has to produce; null when only declaring (export).</summary>
    private readonly List<(string Name, long[] Dims, Func<float[]> Data)>? _pending;
    private readonly List<(string Name, long[] Dims, DataType Type, Func<StoredTensor> Data)>? _pendingStored;
    private readonly Action<CollectedInitializer>? _sink;
    private readonly Action<StoredInitializer>? _storedSink;
    private readonly List<IDisposable> _retained = [];

    private InitializerStore(Action<CollectedInitializer>? sink, Action<StoredInitializer>? storedSink) =>
        (_pending, _pendingStored, _sink, _storedSink) = (sink is null ? null : [], sink is null ? null : [], sink, storedSink);

    /// <summary>Whether completed initializers point into the weights files, which must then stay open (<see cref="Retain"/>).</summary>
    public bool BindsInPlace { get; private set; }

    /// <summary>Declares initializers only (export).</summary>
    public static InitializerStore Placeholders() => new(sink: null, storedSink: null);

    /// <summary>
    /// Declares initializers and, at <see cref="Complete"/> (called while the checkpoint is open), hands each
    /// one's data to <paramref name="sink"/> as it is produced, keeping none, so only one source array is alive at a time.
    /// </summary>
    public static InitializerStore Collect(Action<CollectedInitializer> sink, Action<StoredInitializer>? storedSink = null) => new(sink, storedSink);

    public TensorProto Add(string name, Func<float[]> data, params long[] dims)
    {
        _pending?.Add((name, dims, data));
        return Declare(name, DataType.Float, dims);
    }

    /// <summary>
    /// Declares an initializer of a weights file's own element type (float32, float16 or bfloat16), bound at
    /// session start to the file's bytes in place (<paramref name="data"/>, valid while the file stays open).
    /// </summary>
    public TensorProto AddStored(string name, DataType type, Func<StoredTensor> data, params long[] dims)
    {
        _ = ElementSize(type);
        _pendingStored?.Add((name, dims, type, data));
        return Declare(name, type, dims);
    }

    public static int ElementSize(DataType type) => type switch
    {
        DataType.Float => 4,
        DataType.Float16 or DataType.Bfloat16 => 2,
        _ => throw new ArgumentException($"no stored weights of type {type}", nameof(type)),
    };

    private static TensorProto Declare(string name, DataType type, long[] dims)
    {
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)type,
            DataLocation = TensorProto.Types.DataLocation.External,
        };
        tensor.Dims.AddRange(dims);
        long bytes = dims.Aggregate((long)ElementSize(type), (a, d) => checked(a * d));
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = PlaceholderLocation });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return tensor;
    }

    /// <summary>
    /// Produces the data of every initializer added so far, checking each against its dims. One at a
    /// time: a weights reader need not be thread-safe, and each source array is garbage before the next.
    /// </summary>
    public void Complete()
    {
        if (_pending is null)
            return;
        foreach (var (name, dims, data) in _pending)
        {
            float[] values = data();
            long expected = dims.Aggregate(1L, (a, d) => a * d);
            if (values.LongLength != expected)
                throw new InvalidOperationException($"initializer '{name}' produced {values.LongLength} values for dims [{string.Join(",", dims)}]");
            _sink!(new CollectedInitializer(name, dims, values));
        }
        _pending.Clear();
        foreach (var (name, dims, type, data) in _pendingStored!)
        {
            if (_storedSink is null)
                throw new InvalidOperationException($"initializer '{name}' is bound in place but the store collects float32 arrays only");
            var tensor = data();
            long expected = dims.Aggregate((long)ElementSize(type), (a, d) => a * d);
            if (tensor.ByteLength != expected)
                throw new InvalidOperationException($"initializer '{name}' has {tensor.ByteLength} bytes for {type} dims [{string.Join(",", dims)}]");
            _storedSink(new StoredInitializer(name, dims, type, tensor));
            BindsInPlace = true;
        }
        _pendingStored.Clear();
    }

    /// <summary>Keeps <paramref name="source"/> (the open checkpoint) alive for the bound values that point into it.</summary>
    public void Retain(IDisposable source) => _retained.Add(source);

    /// <summary>What <see cref="Retain"/> kept; the caller disposes it once no session uses the values.</summary>
    public IReadOnlyList<IDisposable> TakeRetained()
    {
        var retained = _retained.ToList();
        _retained.Clear();
        return retained;
    }
}

/// <summary>An initializer's name, dims and float32 data, as a builder produced it.</summary>
internal sealed record CollectedInitializer(string Name, long[] Dims, float[] Data);

/// <summary>An initializer bound in place: its name, dims, element type and bytes in the open weights file.</summary>
internal sealed record StoredInitializer(string Name, long[] Dims, DataType Type, StoredTensor Tensor);
