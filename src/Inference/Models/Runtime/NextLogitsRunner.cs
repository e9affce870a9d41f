using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Runs an exported next.onnx: for each token sequence the logits [V] of the token that follows it.
/// Sequences are right-padded to a common length rounded up to the model's padding multiple; the
/// graph gathers each row's last real position, so padding does not change the result.
/// </summary>
public sealed class NextLogitsRunner : IDisposable
{
    private static readonly string[] InputNames = [LossHead.InputIds, LossHead.AttentionMask];
    private static readonly string[] OutputNames = [NextLogitsHead.NextLogits];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly int _padToMultiple;

    public string ModelPath { get; }
    public InferenceDevice Device { get; }
    public int VocabSize { get; }

    private NextLogitsRunner(string modelPath, InferenceDevice device, InferenceSession session)
    {
        ModelPath = modelPath;
        Device = device;
        _session = session;
        foreach (var name in InputNames)
            if (!session.InputMetadata.ContainsKey(name))
                throw NotNextOnnx(name, "input");
        if (!session.OutputMetadata.TryGetValue(NextLogitsHead.NextLogits, out var output))
            throw NotNextOnnx(NextLogitsHead.NextLogits, "output");
        var metadata = session.ModelMetadata.CustomMetadataMap;
        VocabSize = output.Dimensions is [_, > 0 and var v] ? v
            : GraphMetadata.PositiveInt(metadata, OnnxModel.VocabSizeKey)
            ?? throw new QuantaException($"{modelPath}: '{NextLogitsHead.NextLogits}' has no fixed vocabulary size; re-export it with `quanta sample --model CHECKPOINT`.");
        _padToMultiple = GraphMetadata.PositiveInt(metadata, OnnxModel.PadToMultipleKey) ?? 1;
    }

    private QuantaException NotNextOnnx(string name, string what) =>
        new($"{ModelPath}: the model has no '{name}' {what}; it is not a QuantaProbe next.onnx, export it from the checkpoint (`quanta sample --model CHECKPOINT`).");

    /// <summary>Opens &lt;folder&gt;/next.onnx (or the given .onnx file). Threads default to the machine's cores.</summary>
    public static NextLogitsRunner Open(string modelFolderOrOnnx, InferenceDevice device = InferenceDevice.Cpu, int? intraOpThreads = null) =>
        ModelSessions.Open(modelFolderOrOnnx, NextLogitsHead.FileName, device, intraOpThreads, (path, session) => new NextLogitsRunner(path, device, session));

    /// <summary>
    /// Writes the next-token logits of each sequence (each at least one token long) into
    /// <paramref name="logits"/>, row b at [b·V, (b+1)·V).
    /// </summary>
    public void Run(IReadOnlyList<ReadOnlyMemory<int>> sequences, Span<float> logits)
    {
        int batch = sequences.Count;
        if (logits.Length < (long)batch * VocabSize)
            throw new ArgumentException($"room for {logits.Length} logits, {batch}×{VocabSize} needed", nameof(logits));
        if (batch == 0)
            return;
        if (sequences.Any(s => s.Length == 0))
            throw new ArgumentException("every sequence needs at least one token", nameof(sequences));
        var padded = PaddedBatch.Build(sequences, _padToMultiple, VocabSize, ModelPath);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(padded.Ids, padded.Shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(padded.Mask, padded.Shape);
        using var outputs = _session.Run(_runOptions, InputNames, [idsValue, maskValue], OutputNames);
        outputs[0].GetTensorDataAsSpan<float>()[..(batch * VocabSize)].CopyTo(logits);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
