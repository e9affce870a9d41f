using QuantaProbe.Onnx.Proto;

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
    private readonly Action<CollectedInitializer>? _sink;

    private InitializerStore(Action<CollectedInitializer>? sink) => (_pending, _sink) = (sink is null ? null : [], sink);

    /// <summary>Declares initializers only (export).</summary>
    public static InitializerStore Placeholders() => new(sink: null);

    /// <summary>
    /// Declares initializers and, at <see cref="Complete"/> (called while the checkpoint is open), hands each
    /// one's data to <paramref name="sink"/> as it is produced, keeping none, so only one source array is alive at a time.
    /// </summary>
    public static InitializerStore Collect(Action<CollectedInitializer> sink) => new(sink);

    public TensorProto Add(string name, Func<float[]> data, params long[] dims)
    {
        _pending?.Add((name, dims, data));
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            DataLocation = TensorProto.Types.DataLocation.External,
        };
        tensor.Dims.AddRange(dims);
        long bytes = dims.Aggregate((long)sizeof(float), (a, d) => checked(a * d));
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
    }
}

/// <summary>An initializer's name, dims and float32 data, as a builder produced it.</summary>
internal sealed record CollectedInitializer(string Name, long[] Dims, float[] Data);
