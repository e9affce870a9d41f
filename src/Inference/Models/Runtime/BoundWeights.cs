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
        try
        {
            var store = InitializerStore.Collect(initializer =>
                values.Add((initializer.Name, OrtValue.CreateTensorValueFromMemory(initializer.Data, initializer.Dims))));
            GraphRecipes.FromMetadata(Get(OnnxModelWriter.GraphKindKey), metadata, modelPath).Build(folder, store);
        }
        catch
        {
            foreach (var (_, value) in values) value.Dispose();
            throw;
        }
        return new BoundWeights(modelPath, values) { LoadTime = clock.Elapsed };
    }

    /// <summary>
    /// Injects every initializer into the graph the session options will load, before partitioning, so
    /// any execution provider (CPU or CUDA) takes them as it takes inline data; the values must outlive the session.
    /// </summary>
    public void AddTo(SessionOptions options) => OrtExternalInitializers.Add(options, _values, _modelPath);

    public void Dispose()
    {
        foreach (var (_, value) in _values)
            value.Dispose();
        _values.Clear();
    }
}
