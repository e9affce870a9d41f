using QuantaProbe.Core;
using QuantaProbe.Inference.Gradients;
using QuantaProbe.Inference.Runtime;
using QuantaProbe.Inference.Selection;

namespace QuantaProbe.Inference.GradientStage;

public sealed record GradientsOptions
{
    public required string RunFolder { get; init; }
    /// <summary>The model whose per-token gradients are taken.</summary>
    public required string Model { get; init; }
    /// <summary>The model whose losses select the tokens; null: the family's smallest.</summary>
    public string? SelectionModel { get; init; }
    public SelectionOptions Selection { get; init; } = new();
    /// <summary>Exact gradients (small models and tests) or Kronecker sketches of k_in × k_out per matrix, with a projection seed.</summary>
    public GradientOptions Gradient { get; init; } = GradientOptions.Sketch();
    public int SamplesPerPart { get; init; } = 1024;
    /// <summary>Padded tokens per batch of examples.</summary>
    public int BatchTokens { get; init; } = 2048;
    public InferenceDevice Device { get; init; } = InferenceDevice.Cpu;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public int? Threads { get; init; }

    internal void Validate()
    {
        if (Gradient.Mode == GradientMode.Sketch && (Gradient.KIn < 1 || Gradient.KOut < 1))
            throw new QuantaException($"--k-in {Gradient.KIn} --k-out {Gradient.KOut}: both must be at least 1");
        if (SamplesPerPart < 1)
            throw new QuantaException($"--samples-per-part {SamplesPerPart}: must be at least 1");
        if (BatchTokens < 2)
            throw new QuantaException($"--batch-tokens {BatchTokens}: must be at least 2");
    }
}

public sealed record GradientsResult(string Model, int Samples, long PartsWritten, long PartsSkipped, long GradientsComputed, bool Complete, string Folder);

public readonly record struct GradientsProgress(long Done, long Total);
