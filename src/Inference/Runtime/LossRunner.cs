using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Inference.Onnx;

namespace QuantaProbe.Inference.Runtime;

/// <summary>
/// Runs an exported loss.onnx on batches of token sequences. Sequences are right-padded to a
/// common length, rounded up to the multiple the model's metadata allows (so the runtime sees few
/// distinct shapes; graphs with learned position tables allow none); padding does not change any
/// sequence's losses.
/// </summary>
public sealed class LossRunner : IDisposable
{
    /// <summary>Model metadata key: padding up to a multiple of this length is safe (no position limit).</summary>
    internal const string PadToMultipleKey = "quantaprobe.pad_to_multiple";
    internal const string VocabSizeKey = "vocab_size";
    /// <summary>Model metadata key: the model scores only the token at this position (a classifier's label).</summary>
    internal const string ScoredPositionKey = "quantaprobe.scored_position";

    private static readonly string[] InputNames = [LossHead.InputIds, LossHead.AttentionMask];
    private static readonly string[] OutputNames = [LossHead.TokenLoss, LossHead.TokenEntropy];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int? _vocabSize;
    private readonly int _padToMultiple;
    private readonly int? _scoredPosition;

    public string ModelPath { get; }
    public InferenceDevice Device { get; }

    /// <summary>The part of opening that read the checkpoint's weights into memory (zero for a graph that holds its own).</summary>
    internal TimeSpan BoundWeightsLoadTime => (_session as BoundSession)?.Weights?.LoadTime ?? TimeSpan.Zero;

    private LossRunner(string modelPath, InferenceDevice device, InferenceSession session)
    {
        ModelPath = modelPath;
        Device = device;
        _session = session;
        var metadata = session.ModelMetadata.CustomMetadataMap;
        _vocabSize = GraphMetadata.PositiveInt(metadata, VocabSizeKey);
        _padToMultiple = GraphMetadata.PositiveInt(metadata, PadToMultipleKey) ?? 1;
        _scoredPosition = GraphMetadata.PositiveInt(metadata, ScoredPositionKey);
        foreach (var name in InputNames)
            if (!session.InputMetadata.ContainsKey(name))
                throw new QuantaException($"{modelPath}: the model has no '{name}' input; it is not a QuantaProbe loss.onnx, re-run `quanta export`.");
        foreach (var name in OutputNames)
            if (!session.OutputMetadata.ContainsKey(name))
                throw new QuantaException($"{modelPath}: the model has no '{name}' output; it is not a QuantaProbe loss.onnx, re-run `quanta export`.");
    }

    /// <summary>Opens models/&lt;name&gt;/loss.onnx (or the given .onnx file). Threads default to the machine's cores.</summary>
    public static LossRunner Open(string modelFolderOrOnnx, InferenceDevice device = InferenceDevice.Cpu, int? intraOpThreads = null) =>
        SessionFactory.Open(modelFolderOrOnnx, Export.ModelExporter.LossOnnxFileName, device, intraOpThreads, (path, session) => new LossRunner(path, device, session));

    /// <summary>Runs once at the largest shape a job will use, so the memory arena is sized up front.</summary>
    public void WarmUp(int batchSize, int maxLength)
    {
        var dummy = new ReadOnlyMemory<int>[batchSize];
        Array.Fill(dummy, new int[Math.Max(2, maxLength)]);
        Run(dummy);
    }

    /// <summary>
    /// Per-token losses for each sequence (one batch; the caller chooses the batch size).
    /// Sequences shorter than 2 tokens get empty results.
    /// </summary>
    public SequenceLosses[] Run(IReadOnlyList<ReadOnlyMemory<int>> sequences)
    {
        int batch = sequences.Count;
        int longest = sequences.Count == 0 ? 0 : sequences.Max(s => s.Length);
        if (longest < 2)
            return sequences.Select(_ => new SequenceLosses([], [])).ToArray();
        var padded = PaddedBatch.Build(sequences, _padToMultiple, _vocabSize, ModelPath);
        int length = padded.Length;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(padded.Ids, padded.Shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(padded.Mask, padded.Shape);
        using var outputs = _session.Run(_runOptions, InputNames, [idsValue, maskValue], OutputNames);
        var losses = outputs[0].GetTensorDataAsSpan<float>();
        var entropies = outputs[1].GetTensorDataAsSpan<float>();

        var result = new SequenceLosses[batch];
        int predictions = length - 1;
        for (int b = 0; b < batch; b++)
        {
            int n = Math.Max(0, sequences[b].Length - 1);
            if (_scoredPosition is int scored)
            {
                result[b] = sequences[b].Length > scored
                    ? new SequenceLosses([losses[b * predictions + scored - 1]], [entropies[b * predictions + scored - 1]], scored)
                    : new SequenceLosses([], [], scored);
                continue;
            }
            result[b] = new SequenceLosses(
                losses.Slice(b * predictions, n).ToArray(),
                entropies.Slice(b * predictions, n).ToArray());
        }
        return result;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
