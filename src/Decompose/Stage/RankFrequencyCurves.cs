using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>Cluster sizes by rank for every k of a QDG model, and their envelope, from decompose/rank_frequency/model=&lt;model&gt;.</summary>
public sealed record RankFrequencyCurves(IReadOnlyDictionary<int, int[]> SizesByK, int[] Envelope)
{
    /// <summary>Null when decompose wrote no rank-frequency for the model.</summary>
    public static async Task<RankFrequencyCurves?> ReadAsync(string runFolder, string model)
    {
        var path = PartFiles.PathOf(ModelPartitions.Folder(runFolder, ModelDataset.RankFrequency, model), 0);
        if (!File.Exists(path))
            return null;
        await using var part = await ParquetColumns.OpenAsync(path, "quanta decompose");
        var ks = await part.ReadAsync<int>("n_clusters");
        var ranks = await part.ReadAsync<int>("rank");
        var sizes = await part.ReadAsync<int>("size");
        var byK = Enumerable.Range(0, ks.Length).GroupBy(i => ks[i])
            .ToDictionary(g => g.Key, g => g.OrderBy(i => ranks[i]).Select(i => sizes[i]).ToArray());
        var envelope = byK.Remove(0, out var e) ? e : [];
        return new RankFrequencyCurves(byK, envelope);
    }
}
