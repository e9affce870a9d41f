using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Report.Inputs;

/// <summary>One k's clusters of a QDG model, from decompose/clusters/&lt;model&gt; (cluster 0 is the largest; −1 a zero gradient).</summary>
internal sealed record ClusterAssignments(int K, int[] SampleIds, long[] DocIds, int[] Positions, int[] Clusters)
{
    public static string FolderIn(string runFolder, string model) => ModelPartitions.Folder(runFolder, ModelDataset.Clusters, model);

    /// <summary>Null when decompose wrote no clusters for the model.</summary>
    public static async Task<ClusterAssignments?> ReadAsync(string runFolder, string model, int k)
    {
        var path = PartFiles.PathOf(FolderIn(runFolder, model), 0);
        if (!File.Exists(path))
            return null;
        await using var part = await ParquetColumns.OpenAsync(path, "quanta decompose");
        var ks = await part.ReadAsync<int>("n_clusters");
        var keep = Enumerable.Range(0, ks.Length).Where(i => ks[i] == k).ToArray();
        if (keep.Length == 0)
            throw new QuantaException($"{path}: no clusters for k = {k}, which decompose/summary.json names; re-run `quanta decompose`");
        var samples = await part.ReadAsync<int>("sample_id");
        var docs = await part.ReadAsync<long>("doc_id");
        var positions = await part.ReadAsync<int>("pos");
        var clusters = await part.ReadAsync<int>("cluster");
        return new ClusterAssignments(k, keep.Select(i => samples[i]).ToArray(), keep.Select(i => docs[i]).ToArray(),
            keep.Select(i => positions[i]).ToArray(), keep.Select(i => clusters[i]).ToArray());
    }
}
