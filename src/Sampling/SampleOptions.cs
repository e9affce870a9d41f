using QuantaProbe.Core;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Onnx;

namespace QuantaProbe.Sampling;

/// <summary>Settings of <c>quanta sample</c>.</summary>
public sealed record SampleOptions
{
    /// <summary>An HF GPT-NeoX checkpoint folder, a folder holding next.onnx, or a next.onnx file.</summary>
    public required string Model { get; init; }
    public required string Tokenizer { get; init; }
    /// <summary>The JSON Lines file to write (what `quanta ingest` reads).</summary>
    public required string Output { get; init; }
    public int Documents { get; init; } = 100;
    /// <summary>Tokens generated per document at most (the prompt not counted).</summary>
    public int MaxTokens { get; init; } = 256;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 0.95;
    public long Seed { get; init; }
    /// <summary>Documents generated together, one ONNX run per step for all of them.</summary>
    public int BatchSize { get; init; } = 16;
    public int? Threads { get; init; }
    /// <summary>Text that follows &lt;|endoftext|&gt; in every document's context, and starts its text.</summary>
    public string? Prompt { get; init; }
    public InferenceDevice Device { get; init; } = InferenceDevice.Cpu;

    internal void Validate()
    {
        Bound("--documents", Documents, 1_000_000);
        Bound("--max-tokens", MaxTokens, 65_536);
        NucleusSampler.Validate(Temperature, TopP);
        Bound("--batch", BatchSize, 1024);
        if (Threads is { } threads)
            Bound("--threads", threads, 1024);
        if (!Output.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new QuantaException($"--out {Output}: name a .jsonl file (JSON Lines, what `quanta ingest` reads)");
        if (Directory.Exists(Output))
            throw new QuantaException($"--out {Output}: is a folder; name a .jsonl file");
    }

    /// <summary>Every count has an upper bound: the buffers of a batch follow these numbers.</summary>
    private static void Bound(string flag, int value, int max)
    {
        if (value < 1 || value > max)
            throw new QuantaException($"{flag} {value}: must be between 1 and {max}");
    }
}

/// <summary>What <see cref="SampleStage.Run"/> wrote.</summary>
/// <param name="Tokens">Tokens generated (prompts and &lt;|endoftext|&gt; not counted).</param>
/// <param name="Bytes">The output file's size.</param>
/// <param name="Seconds">Time spent generating (the export of next.onnx not included).</param>
public sealed record SampleResult(string OutputPath, string ModelName, string Source, int Documents, long Tokens, int EndedByEndOfText, long Bytes, double Seconds);

/// <summary>Documents written and tokens generated so far.</summary>
public readonly record struct SampleProgress(int DocumentsDone, int DocumentsTotal, long Tokens);
