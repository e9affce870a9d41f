using Parquet.Schema;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Stage;

namespace QuantaProbe.Tests.Decompose;

/// <summary>
/// QDG clusters as learning-order items: 20 clusters of Zipf-like sizes (5 + 60/(c+1) members; 3 zero-gradient samples
/// unclustered). Along the small size's 6 checkpoints cluster c is learned at checkpoint ⌊c/4⌋+1 (large clusters first);
/// across sizes clusters 10–14 are learned by the middle size, 15–19 by the largest; cluster 3 is worse under the largest
/// size than under the next. The order, the inverse-scaling cluster and every learned-at in the table are recovered.
/// </summary>
[Trait("tier", "fast")]
public class ClusterOrderTests
{
    private const int Clusters = 20, Zero = 3;
    private const string QdgModel = "large";

    private static readonly List<FamilyModel> Steps = Enumerable.Range(1, 6).Select(s => new FamilyModel($"small-step{s * 100}", s * 100, 100, 10)).ToList();
    private static readonly FamilyModel[] Sizes = [Steps[^1], new("mid", 600, 200, 20), new(QdgModel, 600, 400, 40)];
    private static readonly List<FamilyModel> Family = [.. Steps, .. Sizes.Skip(1)];

    [Fact]
    public async Task A_known_order_of_clusters_and_an_inverse_scaling_cluster_are_recovered_and_the_result_is_reused()
    {
        using var tmp = new TempFolder();
        var labels = await WriteQdgOutputsAsync(tmp.Path);
        var record = await RunAsync(tmp.Path, labels, shift: 0);

        Assert.Equal(ClusterOrderRecord.Complete, record.Status);
        Assert.Equal(Clusters, record.ItemCount);
        Assert.Equal(labels.Count(l => l >= 0), record.Occurrences);
        var bySteps = record.Correlations[0];
        Assert.Equal("step", bySteps.Variable);
        Assert.Equal(Clusters, bySteps.ItemsLearned);
        Assert.True(bySteps.Spearman!.Value > 0.9, $"ρ over steps {bySteps.Spearman.Value}");
        Assert.True(bySteps.Spearman.Ci[0] > 0.8);
        var bySize = record.Correlations[1];
        Assert.Equal("non_embedding_parameters", bySize.Variable);
        Assert.Equal(10, bySize.ItemsLearned);
        Assert.True(bySize.Spearman!.Value > 0.8, $"ρ over sizes {bySize.Spearman.Value}");
        var inverse = Assert.Single(record.InverseScaling);
        Assert.Equal((3, 4), (inverse.Cluster, inverse.FrequencyRank));
        Assert.Equal(1.0, inverse.Increase.Value!.Value, 0.05);
        Assert.Equal(3, inverse.Contexts.Count);

        var rows = (await ClusterOrderTable.ReadAsync(tmp.Path, QdgModel))!;
        Assert.Equal(Clusters * Family.Count, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal(Size(row.Cluster), row.Size);
            Assert.Equal(row.Cluster + 1, row.FrequencyRank);
            Assert.Equal(row.ScoredModel.StartsWith("small", StringComparison.Ordinal) ? (row.Cluster / 4 + 2) * 100.0 : double.NaN, row.LearnedAtStep);
            Assert.Equal(row.Cluster is >= 10 and < 15 ? 20 : row.Cluster >= 15 ? 40 : double.NaN, row.LearnedAtSize);
        }

        // The same labels and losses: the stored result is reused, the table not rewritten; other losses: recomputed.
        string table = ClusterOrderTable.PathOf(tmp.Path, QdgModel);
        var written = File.GetLastWriteTimeUtc(table);
        await Task.Delay(20);
        var again = await RunAsync(tmp.Path, labels, shift: 0);
        Assert.Equal(record.InputsSha256, again.InputsSha256);
        Assert.Equal(written, File.GetLastWriteTimeUtc(table));
        var changed = await RunAsync(tmp.Path, labels, shift: 0.01f);
        Assert.NotEqual(record.InputsSha256, changed.InputsSha256);
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(table));
    }

    [Fact]
    public async Task A_model_QDG_did_not_complete_for_says_why_and_a_table_missing_a_column_fails_in_one_line()
    {
        using var tmp = new TempFolder();
        var qdg = new QdgSectionRecord(Models: new Dictionary<string, QdgModelEntry> { ["m"] = QdgModelEntry.NotRun("incomplete: 3 of 48 gradients") });
        var result = await ClusterOrderSection.RunAsync(tmp.Path, new LearningOrderOptions(), qdg, new Dictionary<string, SampleLosses>(), Family, Sizes, [Steps], 100, 0);
        Assert.Contains("incomplete: 3 of 48 gradients", result["m"].Status);
        Assert.Empty(result["m"].Correlations);

        string folder = ModelPartitions.Folder(tmp.Path, ModelDataset.ClusterOrder, "m");
        var field = new DataField<int>("cluster");
        await using (var writer = await ParquetPartWriter.CreateAsync(folder, 0, new ParquetSchema(field), new Dictionary<string, string>()))
        {
            await writer.WriteRowGroupAsync(g => g.WriteAsync(field, (ReadOnlyMemory<int>)new[] { 0 }));
            await writer.CompleteAsync();
        }
        var e = await Assert.ThrowsAsync<QuantaException>(() => ClusterOrderTable.ReadAsync(tmp.Path, "m"));
        Assert.Contains(ClusterOrderTable.PathOf(tmp.Path, "m"), e.Message);
        Assert.Contains("no column", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static int Size(int cluster) => 5 + 60 / (cluster + 1);

    /// <summary>QDG's outputs for <see cref="QdgModel"/>: selection.parquet (sample i = doc i, pos 1) and the clusters at k = 10 and 20.</summary>
    private static async Task<int[]> WriteQdgOutputsAsync(string run)
    {
        var labels = Enumerable.Range(0, Clusters).SelectMany(c => Enumerable.Repeat(c, Size(c))).Concat(Enumerable.Repeat(-1, Zero)).ToArray();
        new Random(5).Shuffle(labels);
        int n = labels.Length;
        var ids = Enumerable.Range(0, n).ToArray();
        string gradients = ModelPartitions.Folder(run, ModelDataset.Gradients, QdgModel);
        var g = (Sample: RunSchemas.Gradients.SampleId, Doc: RunSchemas.Gradients.DocId, Pos: RunSchemas.Gradients.Pos);
        await WriteAsync(gradients, new ParquetSchema(g.Sample, g.Doc, g.Pos), async w =>
        {
            await w.WriteAsync(g.Sample, (ReadOnlyMemory<int>)ids);
            await w.WriteAsync(g.Doc, (ReadOnlyMemory<long>)ids.Select(i => (long)i).ToArray());
            await w.WriteAsync(g.Pos, (ReadOnlyMemory<int>)Enumerable.Repeat(1, n).ToArray());
        });
        File.Move(PartFiles.PathOf(gradients, 0), Path.Combine(gradients, RunSchemas.Gradients.SelectionFile));
        var c = (Sample: new DataField<int>("sample_id"), K: new DataField<int>("n_clusters"), Cluster: new DataField<int>("cluster"));
        await WriteAsync(ModelPartitions.Folder(run, ModelDataset.Clusters, QdgModel), new ParquetSchema(c.Sample, c.K, c.Cluster), async w =>
        {
            await w.WriteAsync(c.Sample, (ReadOnlyMemory<int>)ids.Concat(ids).ToArray());
            await w.WriteAsync(c.K, (ReadOnlyMemory<int>)Enumerable.Repeat(10, n).Concat(Enumerable.Repeat(Clusters, n)).ToArray());
            await w.WriteAsync(c.Cluster, (ReadOnlyMemory<int>)labels.Select(l => l < 0 ? l : l / 2).Concat(labels).ToArray());
        });
        return labels;
    }

    private static async Task WriteAsync(string folder, ParquetSchema schema, Func<Parquet.ParquetRowGroupWriter, Task> write)
    {
        await using var writer = await ParquetPartWriter.CreateAsync(folder, 0, schema, new Dictionary<string, string>());
        await writer.WriteRowGroupAsync(write);
        await writer.CompleteAsync();
    }

    /// <summary>Each model's losses of the samples as decompose's pass hands them over, then the section.</summary>
    private static async Task<ClusterOrderRecord> RunAsync(string run, int[] labels, float shift)
    {
        var samples = (await SampleLosses.ForGradientFoldersAsync(run, Family))[QdgModel];
        var random = new Random(3);
        foreach (var m in Family)
        {
            int s = Steps.IndexOf(m);
            float Loss(int c) => (float)(shift + 0.05 * (random.NextDouble() - 0.5) + (c < 0 ? 0.1 : m.Name switch
            {
                "mid" => c < 10 ? 0.5 : c < 15 ? 0.6 : 2.0,
                QdgModel => c == 3 ? 1.5 : c < 10 ? 0.45 : 0.5,
                _ => s >= c / 4 + 1 ? (c < 10 ? 0.5 : 2.0) : 3.0,
            }));
            samples.Add(m, new LossesPart(labels.Select((_, i) => (long)i).ToArray(), Enumerable.Repeat(1, labels.Length).ToArray(), labels.Select(Loss).ToArray()), "losses");
        }
        var qdg = new QdgSectionRecord(Models: new Dictionary<string, QdgModelEntry> { [QdgModel] = QdgModelEntry.Of(QdgResult(Clusters)) });
        var result = await ClusterOrderSection.RunAsync(run, new LearningOrderOptions(), qdg, new Dictionary<string, SampleLosses> { [QdgModel] = samples },
            Family, Sizes, [Steps], 200, 0);
        return result[QdgModel];
    }

    private static QdgModelResult QdgResult(int referenceK) => new(QdgModelEntry.Complete,
        new QdgSettingsRecord("agglomerative", [10, referenceK], referenceK, "given", 10, 0, 30, null, 20000, 50, 0, null, 48, 64, "AB", false),
        "agglomerative", 48, Zero, 64, [10, referenceK], [1, 4], new ResampledEstimateRecord(-1.25, [-1.5, -1.1], 30), referenceK, -1.8,
        new ResampledEstimateRecord(1.12, [1.07, 1.13], 30), EstimateRecord.Of(-1.12, -1.13, -1.07), [20, 12, 8], 0.25, 0.5,
        new QdgSimilarityRecord("dense", 20000, null, null, 18432));
}
