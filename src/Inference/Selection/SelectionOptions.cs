using QuantaProbe.Core;

namespace QuantaProbe.Inference.Selection;

public enum SelectionMode
{
    /// <summary>The paper's: tokens the selecting model predicts with loss below a threshold, minus induction tokens, sampled.</summary>
    LowLoss,
    /// <summary>Every predicted token (pos ≥ 1).</summary>
    All,
    /// <summary>A seeded uniform sample of all predicted tokens.</summary>
    Random,
    /// <summary>The (doc_id, pos) pairs of a Parquet file.</summary>
    File,
}

public sealed record SelectionOptions
{
    public SelectionMode Mode { get; init; } = SelectionMode.LowLoss;
    /// <summary>Nats; the paper's Pythia study used 0.1, its TinyStories study 1 bit (0.693).</summary>
    public double MaxLoss { get; init; } = 0.1;
    public bool ExcludeInduction { get; init; } = true;
    /// <summary>At most this many tokens (LowLoss, Random).</summary>
    public int Count { get; init; } = 10_000;
    public int Seed { get; init; }
    /// <summary>For <see cref="SelectionMode.File"/>: a Parquet file with doc_id (int64) and pos (int32) columns.</summary>
    public string? File { get; init; }

    internal void Validate()
    {
        if (Count < 1)
            throw new QuantaException($"--n {Count}: must be at least 1");
        if (MaxLoss <= 0 || double.IsNaN(MaxLoss))
            throw new QuantaException($"--max-loss {MaxLoss}: must be a positive number of nats");
        if (Mode == SelectionMode.File && string.IsNullOrEmpty(File))
            throw new QuantaException("--select file needs --selection-file PATH (a Parquet file with doc_id and pos)");
    }

    public override string ToString() => Mode switch
    {
        SelectionMode.LowLoss => $"low-loss(max_loss={MaxLoss}, exclude_induction={ExcludeInduction}, n={Count}, seed={Seed})",
        SelectionMode.Random => $"random(n={Count}, seed={Seed})",
        SelectionMode.File => $"file({Path.GetFullPath(File!)})",
        _ => "all",
    };
}

/// <summary>One token chosen for a gradient: it is predicted at <see cref="Pos"/> of document <see cref="DocId"/>.</summary>
public readonly record struct SelectedToken(long DocId, int Pos, float SelectionLoss);
