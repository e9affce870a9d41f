namespace QuantaProbe.Decompose.Stage;

public sealed record DecomposeOptions
{
    public required string RunFolder { get; init; }
    public int Seed { get; init; }
    /// <summary>Bootstrap resamples over documents for every interval.</summary>
    public int Resamples { get; init; } = 1000;
    public QuantaProbe.Core.ShardSpec Shard { get; init; } = QuantaProbe.Core.ShardSpec.All;
    /// <summary>QDG settings (its seed is <see cref="Seed"/>).</summary>
    public Qdg.QdgOptions Qdg { get; init; } = new();
    /// <summary>Progress lines of long work (QDG).</summary>
    public Action<string>? Progress { get; init; }
}

public sealed record DecomposeResult(string SummaryPath, long TokenScalingPartsWritten, bool Complete);
