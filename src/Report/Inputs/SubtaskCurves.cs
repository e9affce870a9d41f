using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Report.Inputs;

/// <summary>Mean loss of each true subtask across the size series, from decompose/subtask_scaling (the toy's ground truth).</summary>
internal sealed record SubtaskCurves(long[] Parameters, IReadOnlyList<(int Subtask, int FrequencyRank, double[] MeanLoss)> Curves)
{
    public static async Task<SubtaskCurves?> ReadAsync(string runFolder)
    {
        var path = PartFiles.PathOf(Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.SubtaskScaling), 0);
        if (!File.Exists(path))
            return null;
        await using var part = await ParquetColumns.OpenAsync(path, "quanta decompose");
        var subtasks = await part.ReadAsync<int>("subtask");
        var ranks = await part.ReadAsync<int>("frequency_rank");
        var parameters = await part.ReadAsync<long>("parameters");
        var losses = await part.ReadAsync<double>("mean_loss");
        var sizes = parameters.Distinct().Order().ToArray();
        var curves = Enumerable.Range(0, subtasks.Length).GroupBy(i => subtasks[i]).OrderBy(g => ranks[g.First()])
            .Select(g => (g.Key, ranks[g.First()], sizes.Select(n => g.Where(i => parameters[i] == n).Select(i => losses[i]).DefaultIfEmpty(double.NaN).First()).ToArray()))
            .ToList();
        return new SubtaskCurves(sizes, curves);
    }
}
