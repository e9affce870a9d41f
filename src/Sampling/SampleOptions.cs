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
        if (Documents < 1)
            throw new QuantaException($"--documents {Documents}: must be at least 1");
        if (MaxTokens < 1)
            throw new QuantaException($"--max-tokens {MaxTokens}: must be at least 1");
        NucleusSampler.Validate(Temperature, TopP);
        if (BatchSize < 1)
            throw new QuantaException($"--batch {BatchSize}: must be at least 1");
        if (Threads is < 1)
            throw new QuantaException($"--threads {Threads}: must be at least 1");
        if (!Output.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new QuantaException($"--out {Output}: name a .jsonl file (JSON Lines, what `quanta ingest` reads)");
        if (Directory.Exists(Output))
            throw new QuantaException($"--out {Output}: is a folder; name a .jsonl file");
    }
}

/// <summary>What <see cref="SampleStage.Run"/> wrote.</summary>
/// <param name="Tokens">Tokens generated (prompts and &lt;|endoftext|&gt; not counted).</param>
/// <param name="Bytes">The output file's size.</param>
/// <param name="Seconds">Time spent generating (the export of next.onnx not included).</param>
public sealed record SampleResult(string OutputPath, string ModelName, string Source, int Documents, long Tokens, int EndedByEndOfText, long Bytes, double Seconds);

/// <summary>Documents written and tokens generated so far.</summary>
public readonly record struct SampleProgress(int DocumentsDone, int DocumentsTotal, long Tokens);
