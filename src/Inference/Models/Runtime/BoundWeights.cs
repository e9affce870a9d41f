using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using QuantaProbe.Core;
using QuantaProbe.Onnx;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// The weights of an exported graph, read from the checkpoint its metadata names and converted to
/// float32 once in memory, as OrtValues over those arrays (AddExternalInitializers takes only caller-owned buffers).
/// Refused, in one line, when the checkpoint moved or changed since the export.
/// </summary>
internal sealed class BoundWeights : IDisposable
{
    private readonly List<(string Name, OrtValue Value)> _values;
    private readonly IReadOnlyList<IDisposable> _sources;

    private readonly string _modelPath;

    private BoundWeights(string modelPath, List<(string, OrtValue)> values, IReadOnlyList<IDisposable> sources) =>
        (_modelPath, _values, _sources) = (modelPath, values, sources);

    public int Count => _values.Count;

    /// <summary>The bytes of the float32 weights converted into memory.</summary>
    public long Float32Bytes { get; private init; }

    /// <summary>The bytes of the weights bound in place in their checkpoint files (<see cref="Weights.WeightBinding"/>).</summary>
    public long InPlaceBytes { get; private init; }

    /// <summary>How long reading, converting and laying out the weights took (session start's profile).</summary>
    public TimeSpan LoadTime { get; private init; }

    /// <summary>The weights <paramref name="modelPath"/> needs, or null when the graph holds its own (an imported decoder).</summary>
    public static BoundWeights? Load(string modelPath)
    {
        var metadata = OnnxMetadataReader.Read(modelPath);
        if (!metadata.TryGetValue(OnnxModelWriter.CheckpointKey, out var folder))
            return null;
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v
            : throw new QuantaException($"{modelPath}: metadata '{key}' is missing; export it again (`quanta export --force`).");
        string? difference = CheckpointIdentity.Difference(folder, Get(OnnxModelWriter.CheckpointFilesKey));
        if (difference is not null)
            throw new QuantaException($"{modelPath}: holds no weights and binds them from its checkpoint, but {difference} since the export; put the checkpoint back or export again (`quanta export --checkpoint DIR --force`).");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var values = new List<(string, OrtValue)>();
        long bytes = 0, inPlace = 0;
        var store = InitializerStore.Collect(initializer =>
        {
            values.Add((initializer.Name, OrtValue.CreateTensorValueFromMemory(initializer.Data, initializer.Dims)));
            bytes += initializer.Data.LongLength * sizeof(float);
        }, stored =>
        {
            values.Add((stored.Name, OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, ElementType(stored.Type),
                stored.Dims, stored.Tensor.Address, stored.Tensor.ByteLength)));
            inPlace += stored.Tensor.ByteLength;
        });
        try
        {
            GraphRecipes.FromMetadata(Get(OnnxModelWriter.GraphKindKey), metadata, modelPath).Build(folder, store);
        }
        catch
        {
            foreach (var (_, value) in values) value.Dispose();
            foreach (var source in store.TakeRetained()) source.Dispose();
            throw;
        }
        return new BoundWeights(modelPath, values, store.TakeRetained()) { LoadTime = clock.Elapsed, Float32Bytes = bytes, InPlaceBytes = inPlace };
    }

    /// <summary>Whether the session reads these arrays in place, so they must live as long as it does.</summary>
    public bool UsedInPlace { get; private set; }

    /// <summary>
    /// Hands every initializer to the session the options will create. On the CPU the session uses the
    /// arrays in place (SessionOptions.AddInitializer): no second copy of the weights, which was most of
    /// session start's time and of its peak memory. Another provider ignores such CPU values when it places
    /// the initializers on its device, so there they are injected into the graph before partitioning
    /// (AddExternalInitializers) and the provider copies them as it copies inline data.
    /// </summary>
    public void AddTo(SessionOptions options, InferenceDevice device)
    {
        if (device != InferenceDevice.Cpu)
        {
            OrtExternalInitializers.Add(options, _values, _modelPath);
            return;
        }
        foreach (var (name, value) in _values)
            options.AddInitializer(name, value);
        UsedInPlace = true;
    }

    private static TensorElementType ElementType(Onnx.Proto.TensorProto.Types.DataType type) => type switch
    {
        Onnx.Proto.TensorProto.Types.DataType.Float => TensorElementType.Float,
        Onnx.Proto.TensorProto.Types.DataType.Float16 => TensorElementType.Float16,
        Onnx.Proto.TensorProto.Types.DataType.Bfloat16 => TensorElementType.BFloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no weights are bound in place with this type"),
    };

    public void Dispose()
    {
        foreach (var (_, value) in _values)
            value.Dispose();
        _values.Clear();
        foreach (var source in _sources)
            source.Dispose();
    }
}
