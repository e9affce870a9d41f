using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// Learning order with QDG's clusters as items: for every model QDG completed for, its reference-k clusters (read back from
/// decompose/clusters, so QDG is not re-run) of at least <see cref="LearningOrderOptions.ClusterMinSize"/> members. A cluster's
/// frequency is its size, its loss under every model the mean over its members' losses (the same token occurrences, from
/// decompose's pass over the losses). Where it is learned along every series, Spearman ρ of size rank against it, and the
/// clusters that scale inversely, as for token types. Writes decompose/cluster_order/model=&lt;m&gt;/part-00000.parquet and the
/// result decompose/cluster_order/&lt;m&gt;.json, which is reused while the labels, the losses and the settings are unchanged.
/// </summary>
internal static class ClusterOrderSection
{
    private const int ListedInverse = 20;
    private const int ContextsPerItem = 3;

    public static async Task<Dictionary<string, ClusterOrderRecord>> RunAsync(string runFolder, LearningOrderOptions options, QdgSectionRecord qdg,
        IReadOnlyDictionary<string, SampleLosses> samples, IReadOnlyList<FamilyModel> family, IReadOnlyList<FamilyModel> series,
        IReadOnlyList<List<FamilyModel>> stepSeries, int resamples, int seed)
    {
        var result = new Dictionary<string, ClusterOrderRecord>(StringComparer.Ordinal);
        foreach (var (model, entry) in qdg.Models ?? new Dictionary<string, QdgModelEntry>())
            result[model] = entry.Result is not { } qdgResult ? ClusterOrderRecord.NotRun($"QDG did not complete for {model}: {entry.Status}", options.ClusterMinSize)
                : !samples.TryGetValue(model, out var losses) ? ClusterOrderRecord.NotRun($"no selection.parquet for {model}", options.ClusterMinSize)
                : await ModelAsync(runFolder, model, qdgResult.ReferenceK, options, losses, family, series, stepSeries, resamples, seed);
        return result;
    }

    private static async Task<ClusterOrderRecord> ModelAsync(string runFolder, string model, int referenceK, LearningOrderOptions options, SampleLosses samples,
        IReadOnlyList<FamilyModel> family, IReadOnlyList<FamilyModel> series, IReadOnlyList<List<FamilyModel>> stepSeries, int resamples, int seed)
    {
        var labels = await ReferenceLabelsAsync(runFolder, model, referenceK, samples.DocIds.Length);
        var losses = family.ToDictionary(m => m.Name, m => samples.Of(m.Name, ModelPartitions.Folder(runFolder, ModelDataset.Losses, m.Name)), StringComparer.Ordinal);
        string inputs = InputsSha256(labels, family, losses, options, resamples, seed);
        var resultPath = Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.ClusterOrder, model + ".json");
        if (Stored(resultPath) is { } previous && previous.InputsSha256 == inputs && File.Exists(ClusterOrderTable.PathOf(runFolder, model)))
            return previous;

        // Cluster ids are ranks by size (0 = the largest), so the items that are large enough are a prefix of them.
        var members = Enumerable.Range(0, referenceK).Select(c => new List<int>()).ToArray();
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= 0)
                members[labels[i]].Add(i);
        int items = members.TakeWhile(m => m.Count >= options.ClusterMinSize).Count();
        var loss = family.ToDictionary(m => m.Name, m => Enumerable.Range(0, items).Select(c => members[c].Average(i => (double)losses[m.Name][i])).ToArray(), StringComparer.Ordinal);

        var orderSeries = OrderSeries.Of(stepSeries, series);
        var learned = orderSeries.Select(_ => new double[items]).ToArray();
        var correlations = orderSeries.Select((s, j) => ItemLearningOrder.Correlate(s, loss, items, options, resamples, seed, (i, at) => learned[j][i] = at)).ToList();
        var inverse = series.Count >= 2 ? InverseScaling(members, items, losses[series[^1].Name], losses[series[^2].Name], samples, resamples, seed) : [];

        var rows = new List<ClusterOrderRow>(items * family.Count);
        int sizes = orderSeries.FindIndex(s => s.Variable == "non_embedding_parameters");
        for (int c = 0; c < items; c++)
            foreach (var m in family)
            {
                int steps = orderSeries.FindIndex(s => s.Variable == "step" && s.Models[0].NonEmbeddingParameters == m.NonEmbeddingParameters);
                rows.Add(new ClusterOrderRow(model, m.Name, m.Step ?? -1, m.NonEmbeddingParameters, referenceK, c, members[c].Count, c + 1, loss[m.Name][c],
                    steps >= 0 ? learned[steps][c] : double.NaN, sizes >= 0 ? learned[sizes][c] : double.NaN));
            }
        await ClusterOrderTable.WriteAsync(runFolder, model, rows);

        var record = new ClusterOrderRecord(items == 0 ? $"no reference-k cluster has {options.ClusterMinSize} members (order_cluster_min_size)" : ClusterOrderRecord.Complete,
            referenceK, options.ClusterMinSize, items, members.Take(items).Sum(m => (long)m.Count), correlations,
            series.Count >= 2 ? series[^1].Name : null, series.Count >= 2 ? series[^2].Name : null, inverse.Count, inverse.Take(ListedInverse).ToList(),
            ItemLearningOrder.Verdict(correlations, inverse.Count, items), inputs);
        AtomicFile.WriteAllText(resultPath, ContractFile.Text(record, ContractsJson.Default.ClusterOrderRecord));
        return record;
    }

    /// <summary>Each sample's cluster at the reference k (-1: a zero gradient, not clustered), from decompose/clusters.</summary>
    private static async Task<int[]> ReferenceLabelsAsync(string runFolder, string model, int referenceK, int samples)
    {
        string path = PartFiles.PathOf(ModelPartitions.Folder(runFolder, ModelDataset.Clusters, model), 0);
        string fix = $"delete {Path.GetDirectoryName(path)} and {Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.Qdg, model + ".json")} and re-run `quanta decompose`";
        if (!File.Exists(path))
            throw new QuantaException($"{path}: not found although QDG's result for {model} is; {fix}");
        await using var columns = await ParquetColumns.OpenAsync(path, "quanta decompose");
        var sampleIds = await columns.ReadAsync<int>("sample_id");
        var ks = await columns.ReadAsync<int>("n_clusters");
        var clusters = await columns.ReadAsync<int>("cluster");
        var labels = new int[samples];
        Array.Fill(labels, int.MinValue);
        for (int r = 0; r < ks.Length; r++)
        {
            if (ks[r] != referenceK)
                continue;
            if (sampleIds[r] < 0 || sampleIds[r] >= samples || clusters[r] >= referenceK || clusters[r] < -1)
                throw new QuantaException($"{path}: row {r} (sample_id {sampleIds[r]}, cluster {clusters[r]}) is not one of the {samples} selected samples in one of {referenceK} clusters; {fix}");
            labels[sampleIds[r]] = clusters[r];
        }
        int unlabelled = Array.IndexOf(labels, int.MinValue);
        return unlabelled < 0 ? labels : throw new QuantaException($"{path}: sample {unlabelled} has no cluster at the reference k {referenceK}; {fix}");
    }

    /// <summary>Clusters whose members' loss increase from the next size down to the largest has a bootstrap interval above 0, largest increase first.</summary>
    private static List<ClusterInverseScalingRecord> InverseScaling(List<int>[] members, int items, float[] largest, float[] next, SampleLosses samples, int resamples, int seed)
    {
        var result = new List<ClusterInverseScalingRecord>();
        for (int c = 0; c < items; c++)
        {
            var increases = members[c].Select(i => (double)largest[i] - next[i]).ToArray();
            double mean = increases.Average();
            if (mean <= 0)
                continue;
            var e = Bootstrap.Percentile(increases.Length, w => ItemLearningOrder.Mean(increases, w), Math.Min(resamples, 200), seed);
            if (!(e.Low > 0))
                continue;
            var contexts = members[c].OrderByDescending(i => largest[i] - next[i]).Take(ContextsPerItem).Select(i => new TokenPositionRecord(samples.DocIds[i], samples.Positions[i])).ToList();
            result.Add(new ClusterInverseScalingRecord(c, c + 1, members[c].Count, members[c].Average(i => (double)largest[i]), members[c].Average(i => (double)next[i]),
                EstimateRecord.Of(mean, e.Low, e.High), contexts));
        }
        return result.OrderByDescending(r => r.Increase.Value).ToList();
    }

    /// <summary>What the result depends on: the labels, the family and its losses at the samples, the settings.</summary>
    private static string InputsSha256(int[] labels, IReadOnlyList<FamilyModel> family, IReadOnlyDictionary<string, float[]> losses, LearningOrderOptions options, int resamples, int seed)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(labels.AsSpan()));
        foreach (var m in family)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{m.Name}|{m.Step}|{m.NonEmbeddingParameters}\n"));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(losses[m.Name].AsSpan()));
        }
        hash.AppendData(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{options.ClusterMinSize}|{options.LearnedShare:R}|{options.MinDrop:R}|{resamples}|{seed}")));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>A stored result, or null where there is none or it does not read as one (then it is recomputed).</summary>
    private static ClusterOrderRecord? Stored(string path)
    {
        if (!File.Exists(path))
            return null;
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(path), ContractsJson.Default.ClusterOrderRecord); }
        catch (JsonException) { return null; }
    }
}
