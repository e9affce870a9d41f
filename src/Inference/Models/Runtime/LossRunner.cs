using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Runs an exported loss.onnx on batches of token sequences. Sequences are right-padded to a
/// common length, rounded up to the multiple the model's metadata allows (so the runtime sees few
/// distinct shapes; graphs with learned position tables allow none); padding does not change any
/// sequence's losses.
/// </summary>
public sealed class LossRunner : IDisposable
{
    private static readonly string[] InputNames = [LossHead.InputIds, LossHead.AttentionMask];
    private static readonly string[] OutputNames = [LossHead.TokenLoss, LossHead.TokenEntropy];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int? _vocabSize;
    private readonly int _padToMultiple;
    private readonly int? _scoredPosition;
    private readonly long _logitsBudgetBytes;

    /// <summary>
    /// The default bound on the [rows, vocab] float32 logits one session run would hold over its whole vocabulary:
    /// the embedded models (8k vocabulary) score infer's default 2048-token batch in one run, and Pythia's 50k
    /// vocabulary four 256-token sequences at a time, which keeps a Pythia-70m's activations within its weights'
    /// size (bench -- checkpoint). The graph itself holds only a slice of the vocabulary at once (<see cref="LossHead.SliceWidth"/>).
    /// </summary>
    internal const long DefaultLogitsBudgetBytes = 200L << 20;

    public string ModelPath { get; }
    public InferenceDevice Device { get; }

    /// <summary>The part of opening that read the checkpoint's weights into memory (zero for a graph that holds its own).</summary>
    internal TimeSpan BoundWeightsLoadTime => (_session as BoundSession)?.WeightsLoadTime ?? TimeSpan.Zero;

    private LossRunner(string modelPath, InferenceDevice device, InferenceSession session, long logitsBudgetBytes)
    {
        ModelPath = modelPath;
        _logitsBudgetBytes = logitsBudgetBytes;
        Device = device;
        _session = session;
        var metadata = session.ModelMetadata.CustomMetadataMap;
        _vocabSize = GraphMetadata.PositiveInt(metadata, OnnxModel.VocabSizeKey);
        _padToMultiple = GraphMetadata.PositiveInt(metadata, OnnxModel.PadToMultipleKey) ?? 1;
        _scoredPosition = GraphMetadata.PositiveInt(metadata, OnnxModel.ScoredPositionKey);
        foreach (var name in InputNames)
            if (!session.InputMetadata.ContainsKey(name))
                throw new QuantaException($"{modelPath}: the model has no '{name}' input; it is not a QuantaProbe loss.onnx, re-run `quanta export`.");
        foreach (var name in OutputNames)
            if (!session.OutputMetadata.ContainsKey(name))
                throw new QuantaException($"{modelPath}: the model has no '{name}' output; it is not a QuantaProbe loss.onnx, re-run `quanta export`.");
    }

    /// <summary>Opens models/&lt;name&gt;/loss.onnx (or the given .onnx file). Threads default to the machine's cores.</summary>
    public static LossRunner Open(string modelFolderOrOnnx, InferenceDevice device = InferenceDevice.Cpu, int? intraOpThreads = null) =>
        Open(modelFolderOrOnnx, device, intraOpThreads, DefaultLogitsBudgetBytes);

    /// <summary>As <see cref="Open(string, InferenceDevice, int?)"/>, bounding a run's [rows, vocab] logits to <paramref name="logitsBudgetBytes"/>.</summary>
    internal static LossRunner Open(string modelFolderOrOnnx, InferenceDevice device, int? intraOpThreads, long logitsBudgetBytes) =>
        ModelSessions.Open(modelFolderOrOnnx, LossHead.FileName, device, intraOpThreads, (path, session) => new LossRunner(path, device, session, logitsBudgetBytes));

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
        int predictions = length - 1;
        var losses = new float[(long)batch * predictions];
        var entropies = new float[losses.Length];
        int perRun = SequencesPerRun(batch, predictions);
        for (int first = 0; first < batch; first += perRun)
            RunSlice(padded, first, Math.Min(perRun, batch - first), losses, entropies);

        var result = new SequenceLosses[batch];
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
                losses.AsSpan(b * predictions, n).ToArray(),
                entropies.AsSpan(b * predictions, n).ToArray());
        }
        return result;
    }

    /// <summary>
    /// How many of the batch's sequences one session run scores: all of them unless their [rows, vocab]
    /// float32 logits would exceed <see cref="_logitsBudgetBytes"/> (a 50k vocabulary at 2048 tokens: 412 MB);
    /// then whole sequences at a time, at least one. Every slice keeps the batch's padded length.
    /// </summary>
    private int SequencesPerRun(int batch, int predictions)
    {
        if (_vocabSize is not int vocab)
            return batch;
        long bytesPerSequence = (long)predictions * vocab * sizeof(float);
        return (int)Math.Clamp(_logitsBudgetBytes / bytesPerSequence, 1, batch);
    }

    private void RunSlice(PaddedBatch padded, int first, int count, float[] losses, float[] entropies)
    {
        int length = padded.Length, predictions = length - 1;
        long[] shape = [count, length];
        var tokens = new Range(first * length, (first + count) * length);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, padded.Ids.AsMemory(tokens), shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, padded.Mask.AsMemory(tokens), shape);
        using var outputs = _session.Run(_runOptions, InputNames, [idsValue, maskValue], OutputNames);
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(losses.AsSpan(first * predictions, count * predictions));
        outputs[1].GetTensorDataAsSpan<float>().CopyTo(entropies.AsSpan(first * predictions, count * predictions));
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
