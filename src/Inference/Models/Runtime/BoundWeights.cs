using Microsoft.ML.OnnxRuntime;
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

    private readonly string _modelPath;

    private BoundWeights(string modelPath, List<(string, OrtValue)> values) => (_modelPath, _values) = (modelPath, values);

    public int Count => _values.Count;

    /// <summary>The bytes of all bound float32 weights.</summary>
    public long Float32Bytes { get; private init; }

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
        long bytes = 0;
        try
        {
            var store = InitializerStore.Collect(initializer =>
            {
                values.Add((initializer.Name, OrtValue.CreateTensorValueFromMemory(initializer.Data, initializer.Dims)));
                bytes += initializer.Data.LongLength * sizeof(float);
            });
            GraphRecipes.FromMetadata(Get(OnnxModelWriter.GraphKindKey), metadata, modelPath).Build(folder, store);
        }
        catch
        {
            foreach (var (_, value) in values) value.Dispose();
            throw;
        }
        // The reader's row buffer is garbage now: collected before the session allocates its own memory.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new BoundWeights(modelPath, values) { LoadTime = clock.Elapsed, Float32Bytes = bytes };
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

    public void Dispose()
    {
        foreach (var (_, value) in _values)
            value.Dispose();
        _values.Clear();
    }
}
