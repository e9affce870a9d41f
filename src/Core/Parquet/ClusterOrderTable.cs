using Parquet.Schema;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Core.Parquet;

/// <summary>
/// One row of decompose/cluster_order/model=&lt;m&gt;/part-00000.parquet: a reference-k QDG cluster of model m's gradient
/// samples under one scored model of the family. <see cref="LearnedAtStep"/> is where the cluster is learned along the
/// checkpoints of the scored model's size, <see cref="LearnedAtSize"/> along the sizes (non-embedding parameters); NaN
/// where it is not learned or there is no such series.
/// </summary>
public sealed record ClusterOrderRow(string Model, string ScoredModel, long Step, long NonEmbeddingParameters, int NClusters, int Cluster, int Size,
    int FrequencyRank, double MeanLoss, double LearnedAtStep, double LearnedAtSize);

/// <summary>The cluster-order table: written whole by `quanta decompose`, read by the report; a missing or mistyped column is one line naming it.</summary>
public static class ClusterOrderTable
{
    private const string WrittenBy = "quanta decompose";

    private static readonly DataField<string> Model = new("model", false), ScoredModel = new("scored_model", false);
    private static readonly DataField<long> Step = new("step"), Parameters = new("non_embedding_parameters");
    private static readonly DataField<int> NClusters = new("n_clusters"), Cluster = new("cluster"), Size = new("size"), FrequencyRank = new("frequency_rank");
    private static readonly DataField<double> MeanLoss = new("mean_loss"), LearnedAtStep = new("learned_at_step"), LearnedAtSize = new("learned_at_size");

    public static string PathOf(string runFolder, string model) => PartFiles.PathOf(ModelPartitions.Folder(runFolder, ModelDataset.ClusterOrder, model), 0);

    /// <summary>Writes the rows atomically (a temporary name, then renamed), replacing the previous table.</summary>
    public static async Task WriteAsync(string runFolder, string model, IReadOnlyList<ClusterOrderRow> rows)
    {
        string folder = ModelPartitions.Folder(runFolder, ModelDataset.ClusterOrder, model);
        PartFiles.DeleteStaleTemps(folder, ShardSpec.All);
        var schema = new ParquetSchema(Model, ScoredModel, Step, Parameters, NClusters, Cluster, Size, FrequencyRank, MeanLoss, LearnedAtStep, LearnedAtSize);
        await using var writer = await ParquetPartWriter.CreateAsync(folder, 0, schema,
            new Dictionary<string, string> { [MetadataKeys.Stage] = "decompose", [MetadataKeys.Model] = model });
        await writer.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(Model, rows.Select(r => r.Model).ToArray());
            await g.WriteAsync(ScoredModel, rows.Select(r => r.ScoredModel).ToArray());
            await g.WriteAsync(Step, (ReadOnlyMemory<long>)rows.Select(r => r.Step).ToArray());
            await g.WriteAsync(Parameters, (ReadOnlyMemory<long>)rows.Select(r => r.NonEmbeddingParameters).ToArray());
            await g.WriteAsync(NClusters, (ReadOnlyMemory<int>)rows.Select(r => r.NClusters).ToArray());
            await g.WriteAsync(Cluster, (ReadOnlyMemory<int>)rows.Select(r => r.Cluster).ToArray());
            await g.WriteAsync(Size, (ReadOnlyMemory<int>)rows.Select(r => r.Size).ToArray());
            await g.WriteAsync(FrequencyRank, (ReadOnlyMemory<int>)rows.Select(r => r.FrequencyRank).ToArray());
            await g.WriteAsync(MeanLoss, (ReadOnlyMemory<double>)rows.Select(r => r.MeanLoss).ToArray());
            await g.WriteAsync(LearnedAtStep, (ReadOnlyMemory<double>)rows.Select(r => r.LearnedAtStep).ToArray());
            await g.WriteAsync(LearnedAtSize, (ReadOnlyMemory<double>)rows.Select(r => r.LearnedAtSize).ToArray());
        });
        await writer.CompleteAsync();
    }

    /// <summary>The table of <paramref name="model"/>'s clusters, or null where decompose wrote none; an unreadable file or column fails in one line.</summary>
    public static async Task<IReadOnlyList<ClusterOrderRow>?> ReadAsync(string runFolder, string model)
    {
        string path = PathOf(runFolder, model);
        if (!File.Exists(path))
            return null;
        await using var columns = await ParquetColumns.OpenAsync(path, WrittenBy);
        var models = await columns.ReadStringsAsync(Model.Name);
        var scored = await columns.ReadStringsAsync(ScoredModel.Name);
        var step = await columns.ReadAsync<long>(Step.Name);
        var parameters = await columns.ReadAsync<long>(Parameters.Name);
        var k = await columns.ReadAsync<int>(NClusters.Name);
        var cluster = await columns.ReadAsync<int>(Cluster.Name);
        var size = await columns.ReadAsync<int>(Size.Name);
        var rank = await columns.ReadAsync<int>(FrequencyRank.Name);
        var loss = await columns.ReadAsync<double>(MeanLoss.Name);
        var atStep = await columns.ReadAsync<double>(LearnedAtStep.Name);
        var atSize = await columns.ReadAsync<double>(LearnedAtSize.Name);
        return Enumerable.Range(0, models.Length)
            .Select(i => new ClusterOrderRow(models[i], scored[i], step[i], parameters[i], k[i], cluster[i], size[i], rank[i], loss[i], atStep[i], atSize[i])).ToList();
    }
}
