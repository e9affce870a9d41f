using QuantaProbe.Core;
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
    /// <summary>Exact gradients (small models and tests) or Kronecker sketches of k_in × k_out per matrix.</summary>
    public bool Exact { get; init; }
    public int KIn { get; init; } = 16;
    public int KOut { get; init; } = 16;
    /// <summary>Seed of the projections, stored in grad.onnx so two runs' sketches are comparable.</summary>
    public int ProjectionSeed { get; init; }
    public int SamplesPerPart { get; init; } = 1024;
    /// <summary>Padded tokens per batch of examples.</summary>
    public int BatchTokens { get; init; } = 2048;
    public InferenceDevice Device { get; init; } = InferenceDevice.Cpu;
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    public int? Threads { get; init; }

    internal void Validate()
    {
        if (KIn < 1 || KOut < 1)
            throw new QuantaException($"--k-in {KIn} --k-out {KOut}: both must be at least 1");
        if (SamplesPerPart < 1)
            throw new QuantaException($"--samples-per-part {SamplesPerPart}: must be at least 1");
        if (BatchTokens < 2)
            throw new QuantaException($"--batch-tokens {BatchTokens}: must be at least 2");
    }
}

public sealed record GradientsResult(string Model, int Samples, long PartsWritten, long PartsSkipped, long GradientsComputed, bool Complete, string Folder);

public readonly record struct GradientsProgress(long Done, long Total);
