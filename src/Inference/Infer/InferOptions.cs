using QuantaProbe.Core;
using QuantaProbe.Inference.Runtime;

namespace QuantaProbe.Inference.Infer;

public sealed record InferOptions
{
    public required string RunFolder { get; init; }
    /// <summary>Names from models/family.json; null: every model of the family.</summary>
    public IReadOnlyList<string>? Models { get; init; }
    public InferenceDevice Device { get; init; } = InferenceDevice.Cpu;
    /// <summary>Padded tokens per batch (batch size × padded length).</summary>
    public int BatchTokens { get; init; } = 2048;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public int? Threads { get; init; }
}

/// <param name="ExecutionProvider">The ONNX Runtime provider the scoring ran on; null when every part was already complete.</param>
public sealed record InferResult(IReadOnlyList<string> Models, long PartsWritten, long PartsSkipped, long TokensScored, bool Complete, string? ExecutionProvider = null);

/// <summary>Tokens scored so far by this process, out of the tokens its parts hold.</summary>
public readonly record struct InferProgress(string Model, long TokensDone, long TokensTotal);
