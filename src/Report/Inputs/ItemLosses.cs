using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Report.Inputs;

/// <summary>One model's items from decompose/learning_order/model=&lt;m&gt;: frequency rank, frequency and mean loss.</summary>
internal sealed record ItemLosses(string Model, int[] FrequencyRank, long[] Frequency, double[] MeanLoss)
{
    public static async Task<ItemLosses?> ReadAsync(string runFolder, string model)
    {
        var path = PartFiles.PathOf(ModelPartitions.Folder(runFolder, ModelDataset.LearningOrder, model), 0);
        if (!File.Exists(path))
            return null;
        await using var columns = await ParquetColumns.OpenAsync(path, "quanta decompose");
        return new ItemLosses(model, await columns.ReadAsync<int>("frequency_rank"), await columns.ReadAsync<long>("frequency"), await columns.ReadAsync<double>("mean_loss"));
    }

    /// <summary>Mean loss in log-spaced bins of frequency rank: (bin's geometric-mean rank, mean loss).</summary>
    public (double[] Rank, double[] Loss) Binned(int bins)
    {
        if (FrequencyRank.Length == 0)
            return ([], []);
        double top = Math.Log(FrequencyRank.Max() + 1);
        var sums = new double[bins];
        var logRanks = new double[bins];
        var counts = new int[bins];
        for (int i = 0; i < FrequencyRank.Length; i++)
        {
            int b = Math.Min(bins - 1, (int)(Math.Log(FrequencyRank[i]) / top * bins));
            sums[b] += MeanLoss[i];
            logRanks[b] += Math.Log(FrequencyRank[i]);
            counts[b]++;
        }
        var used = Enumerable.Range(0, bins).Where(b => counts[b] > 0).ToArray();
        return (used.Select(b => Math.Exp(logRanks[b] / counts[b])).ToArray(), used.Select(b => sums[b] / counts[b]).ToArray());
    }
}
