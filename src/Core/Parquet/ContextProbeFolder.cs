using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Core.Parquet;

/// <summary>
/// A model's whole context probe (context/model=&lt;m&gt;/part-k.parquet, part k holding the k-th context length of the grid):
/// null when the model was not probed; an error naming the missing part when the probe is incomplete or its parts disagree.
/// </summary>
public static class ContextProbeFolder
{
    public static string Of(string runFolder, string model) => ModelPartitions.Folder(runFolder, ModelDataset.ContextProbe, model);

    public static async Task<IReadOnlyList<ContextProbePart>?> ReadAsync(string runFolder, string model)
    {
        string folder = Of(runFolder, model);
        var complete = PartFiles.Complete(folder);
        if (complete.Count == 0)
            return null;
        var parts = new List<ContextProbePart>();
        foreach (long k in complete)
            parts.Add(await ContextProbePartReader.ReadAsync(PartFiles.PathOf(folder, k)));
        var grid = parts[0].ContextLengths;
        string again = $"re-run `{ContextProbePartReader.WrittenBy}` to complete it";
        for (int k = 0; k < parts.Count; k++)
        {
            var p = parts[k];
            string path = PartFiles.PathOf(folder, complete.ElementAt(k));
            if (!p.ContextLengths.SequenceEqual(grid) || p.WeightsSha256 != parts[0].WeightsSha256 || p.Targets != parts[0].Targets || p.Seed != parts[0].Seed || p.Model != model)
                throw new QuantaException($"{path}: written with other probe settings or weights than {PartFiles.PathOf(folder, complete.First())}; {again}");
            if (complete.ElementAt(k) >= grid.Count || grid[(int)complete.ElementAt(k)] != p.ContextLength)
                throw new QuantaException($"{path}: holds context length {p.ContextLength}, not the grid's entry {complete.ElementAt(k)}; {again}");
        }
        if (Enumerable.Range(0, grid.Count).FirstOrDefault(k => !complete.Contains(k), -1) is int missing and >= 0)
            throw new QuantaException($"{PartFiles.PathOf(folder, missing)}: not found (context length {grid[missing]} of the probe's {grid.Count}); {again}");
        return parts;
    }
}
