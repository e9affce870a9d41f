namespace QuantaProbe.Decompose.Qdg;

/// <summary>How QDG clusters the gradients.</summary>
public enum QdgMethod
{
    /// <summary>
    /// Average-linkage agglomerative clustering of the sign-invariant angular distance arccos(|C|)/π,
    /// one dendrogram cut at every k: recovers planted quanta of Zipf-distributed sizes where the
    /// paper's spectral clustering splits the large ones and merges the small ones.
    /// </summary>
    Agglomerative,
    /// <summary>The paper's: affinity 1 − arccos(C)/π, spectral clustering with k-means.</summary>
    Spectral,
}

/// <summary>Settings of quanta discovery from gradients: the numbers of clusters, k-means, the envelope fit.</summary>
public sealed record QdgOptions
{
    /// <summary>The paper's list of k (PAPER.md, QDG step 6).</summary>
    public static readonly IReadOnlyList<int> PaperKs =
    [
        10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 125, 150, 175, 200, 225, 250, 275, 300, 350, 400,
        500, 600, 700, 800, 900, 1000, 1100, 1200, 1400, 1500,
    ];

    /// <summary>Numbers of clusters; those not below the number of samples are skipped.</summary>
    public IReadOnlyList<int> Ks { get; init; } = PaperKs;
    public QdgMethod Method { get; init; } = QdgMethod.Agglomerative;
    /// <summary>The k whose clusters the report shows and whose sizes the MLE fits (the paper: 400); the nearest usable k is taken.</summary>
    public int ReferenceK { get; init; } = 400;
    /// <summary>k-means restarts per k (spectral method).</summary>
    public int Restarts { get; init; } = 10;
    public int Seed { get; init; }
    /// <summary>Bootstrap resamples over samples for the slope intervals.</summary>
    public int Resamples { get; init; } = 200;
    /// <summary>Ranks of the envelope that the log-log fit uses (the paper: 100–1000 of k ≤ 1500); null scales the paper's range to the largest k.</summary>
    public (int First, int Last)? RankRange { get; init; }
    /// <summary>
    /// λ of the agglomerative distance arccos(|C|)/π + λ·(loss-curve distance across sizes, see
    /// <see cref="Similarity.LossCurveDistance"/>); 0 (the default) clusters on gradients alone, as the paper.
    /// </summary>
    public double CurveWeight { get; init; }
}
