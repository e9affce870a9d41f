using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Models.Gradients;
using Names = QuantaProbe.Models.Gradients.GradientGraphNames;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Runs an exported grad.onnx: for each (sequence, target position p) the loss of predicting
/// token p from the tokens before it and that loss's gradient (exact or sketched, length K).
/// Each sequence is cut after its target (the model is causal), and the batch right-padded to a
/// common length rounded up to the model's padding multiple.
/// </summary>
public sealed class GradientRunner : IDisposable
{
    private static readonly string[] InputNames = [Names.InputIds, Names.TargetPosition];
    private static readonly string[] OutputNames = [Names.Loss, Names.GradientSketch];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int? _vocabSize;
    private readonly int _padToMultiple;
    private readonly int? _scoredPosition;
    private readonly GradientMetadata _metadata;

    public string ModelPath { get; }
    public InferenceDevice Device { get; }

    /// <summary>K: the length of each example's gradient row.</summary>
    public int Dimension { get; }
    public GradientMode Mode => _metadata.Options.Mode;
    /// <summary>Sketch dimensions and projection seed; null in exact mode.</summary>
    public int? SketchInputDim => Mode == GradientMode.Sketch ? _metadata.Options.KIn : null;
    public int? SketchOutputDim => Mode == GradientMode.Sketch ? _metadata.Options.KOut : null;
    public long? SketchSeed => Mode == GradientMode.Sketch ? _metadata.Options.Seed : null;
    /// <summary>Always "one_token_loss" for grad.onnx.</summary>
    public string GradKind => GradientMetadata.OneTokenLoss;
    /// <summary>Each parameter's slice of a row, in row order.</summary>
    public IReadOnlyList<GradientParameterSlice> Layout => _metadata.Layout;

    private GradientRunner(string modelPath, InferenceDevice device, InferenceSession session)
    {
        ModelPath = modelPath;
        Device = device;
        _session = session;
        var metadata = session.ModelMetadata.CustomMetadataMap;
        foreach (var name in InputNames)
            if (!session.InputMetadata.ContainsKey(name))
                throw new QuantaException($"{modelPath}: the model has no '{name}' input; it is not a QuantaProbe grad.onnx, re-run `quanta export`.");
        foreach (var name in OutputNames)
            if (!session.OutputMetadata.ContainsKey(name))
                throw new QuantaException($"{modelPath}: the model has no '{name}' output; it is not a QuantaProbe grad.onnx, re-run `quanta export`.");
        _metadata = GradientMetadata.Read(metadata, modelPath);
        Dimension = checked((int)_metadata.Dimension);
        _vocabSize = GraphMetadata.PositiveInt(metadata, OnnxModel.VocabSizeKey);
        _padToMultiple = GraphMetadata.PositiveInt(metadata, OnnxModel.PadToMultipleKey) ?? 1;
        _scoredPosition = GraphMetadata.PositiveInt(metadata, OnnxModel.ScoredPositionKey);
    }

    /// <summary>Opens models/&lt;name&gt;/grad.onnx (or the given .onnx file). Threads default to the machine's cores.</summary>
    public static GradientRunner Open(string modelFolderOrOnnx, InferenceDevice device = InferenceDevice.Cpu, int? intraOpThreads = null) =>
        ModelSessions.Open(modelFolderOrOnnx, Names.FileName, device, intraOpThreads, (path, session) => new GradientRunner(path, device, session));

    /// <summary>
    /// One batch: example b is the loss of predicting sequences[b][targetPositions[b]] from the tokens
    /// before it (1 ≤ p &lt; length), with its gradient row. Tokens after the target are not read.
    /// </summary>
    public GradientResult[] Run(IReadOnlyList<ReadOnlyMemory<int>> sequences, IReadOnlyList<int> targetPositions)
    {
        if (sequences.Count != targetPositions.Count)
            throw new ArgumentException($"{sequences.Count} sequences but {targetPositions.Count} target positions", nameof(targetPositions));
        int batch = sequences.Count;
        if (batch == 0)
            return [];
        for (int b = 0; b < batch; b++)
            if (targetPositions[b] < 1 || targetPositions[b] >= sequences[b].Length)
                throw new QuantaException($"{ModelPath}: target position {targetPositions[b]} of example {b} is outside 1..{sequences[b].Length - 1}; the first token has no prediction and the target must be in the sequence.");
            else if (_scoredPosition is int scored && targetPositions[b] != scored)
                throw new QuantaException($"{ModelPath}: target position {targetPositions[b]} of example {b}: this model scores only position {scored}; select tokens from its own losses.");

        var padded = PaddedBatch.Build(sequences, _padToMultiple, _vocabSize, ModelPath, b => targetPositions[b] + 1);
        var targets = targetPositions.Select(p => (long)p).ToArray();
        using var idsValue = OrtValue.CreateTensorValueFromMemory(padded.Ids, padded.Shape);
        using var targetsValue = OrtValue.CreateTensorValueFromMemory(targets, [batch]);
        using var outputs = _session.Run(_runOptions, InputNames, [idsValue, targetsValue], OutputNames);
        var losses = outputs[0].GetTensorDataAsSpan<float>();
        var sketches = outputs[1].GetTensorDataAsSpan<float>();

        var result = new GradientResult[batch];
        for (int b = 0; b < batch; b++)
            result[b] = new GradientResult(losses[b], sketches.Slice(b * Dimension, Dimension).ToArray());
        return result;
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
