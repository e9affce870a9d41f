namespace QuantaProbe.Core.Contracts;

/// <summary>The run folder's per-model Parquet datasets, each partitioned Hive-style by model.</summary>
public enum ModelDataset
{
    Losses,
    Gradients,
    ContextProbe,
    Clusters,
    RankFrequency,
    LearningOrder,
    ClusterOrder,
}
