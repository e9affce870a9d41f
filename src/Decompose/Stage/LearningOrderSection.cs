using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// Learning order by frequency (Neumann &amp; Gros): items are predicted token types scored at least
/// <see cref="LearningOrderOptions.MinCount"/> times. Their corpus frequency (Zipf exponent with an interval from half-samples of the documents), their mean loss under
/// every model (decompose/learning_order/model=&lt;m&gt;), where each is learned along every size's checkpoints and
/// along the sizes (decompose/learned_at), Spearman ρ of frequency rank against it with a bootstrap interval over
/// items, and the items whose loss rises from the next size down to the largest beyond their interval.
/// </summary>
internal static class LearningOrderSection
{
    private const int ListedInverse = 20;
    private const int ContextsPerItem = 3;

    /// <summary>The collector for the losses pass: the increases are taken between the two largest sizes.</summary>
    public static ItemLossCollector Collector(IReadOnlyList<FamilyModel> series, IReadOnlyList<FamilyModel> family) =>
        new(series.Count > 0 ? series[^1].Name : family[^1].Name, series.Count >= 2 ? series[^2].Name : null);

    public static async Task<LearningOrderRecord> RunAsync(string runFolder, LearningOrderOptions options, ItemLossCollector items, IReadOnlyList<FamilyModel> family,
        IReadOnlyList<FamilyModel> series, IReadOnlyList<List<FamilyModel>> stepSeries, int resamples, int seed,
        IReadOnlyDictionary<string, ClusterOrderRecord>? clusters = null)
    {
        var (_, counts) = items.Of(family[0].Name);
        // Items by frequency rank: most frequent first, ties by token id.
        var item = Enumerable.Range(0, counts.Length).Where(t => counts[t] >= options.MinCount)
            .OrderByDescending(items.Frequency).ThenBy(t => t).ToArray();
        var rank = new Dictionary<int, int>(item.Length);
        for (int i = 0; i < item.Length; i++)
            rank[item[i]] = i + 1;
        var loss = family.ToDictionary(m => m.Name, m => { var (s, c) = items.Of(m.Name); return item.Select(t => s[t] / c[t]).ToArray(); }, StringComparer.Ordinal);
        EstimateRecord? zipf = ZipfExponent.Of(items.DocumentTypes, items.Vocabulary, Math.Min(resamples, 200), seed) is { } z ? EstimateRecord.Of(z.Value, z.Low, z.High) : null;

        foreach (var m in family)
            await WriteItemsAsync(runFolder, m, item, rank, items, loss[m.Name]);

        var learnedRows = new List<(int Token, string Series, string Variable, double LearnedAt)>();
        var correlations = OrderSeries.Of(stepSeries, series).Select(s => ItemLearningOrder.Correlate(s, loss, item.Length, options, resamples, seed,
            (i, at) => learnedRows.Add((item[i], s.Name, s.Variable, at)))).ToList();
        await WriteLearnedAtAsync(runFolder, learnedRows, rank);

        var itemIndex = rank.ToDictionary(p => p.Key, p => p.Value - 1);
        var inverse = series.Count >= 2
            ? InverseScaling(items, rank, t => (loss[series[^1].Name][itemIndex[t]], loss[series[^2].Name][itemIndex[t]]), resamples, seed)
            : [];
        return new LearningOrderRecord(item.Length == 0 ? $"no predicted token type occurs {options.MinCount} times (order_min_count)" : "complete",
            "predicted token type", options.MinCount, options.LearnedShare, options.MinDrop, item.Length, item.Sum(t => counts[t]), zipf, correlations,
            series.Count >= 2 ? series[^1].Name : null, series.Count >= 2 ? series[^2].Name : null, inverse.Count, inverse.Take(ListedInverse).ToList(), ItemLearningOrder.Verdict(correlations, inverse.Count, item.Length),
            clusters ?? new Dictionary<string, ClusterOrderRecord>());
    }

    /// <summary>Items whose mean loss increase from the next size down to the largest has a bootstrap interval (over their tokens) above 0, largest increase first.</summary>
    private static List<InverseScalingRecord> InverseScaling(ItemLossCollector items, Dictionary<int, int> rank, Func<int, (double Largest, double Next)> meanLoss,
        int resamples, int seed)
    {
        var result = new List<InverseScalingRecord>();
        foreach (var g in items.Increases.Where(x => rank.ContainsKey(x.Token)).GroupBy(x => x.Token))
        {
            var increases = g.Select(x => (double)x.Increase).ToArray();
            double mean = increases.Average();
            if (mean <= 0)
                continue;
            var e = Bootstrap.Percentile(increases.Length, w => ItemLearningOrder.Mean(increases, w), Math.Min(resamples, 200), seed);
            if (!(e.Low > 0))
                continue;
            var contexts = g.OrderByDescending(x => x.Increase).Take(ContextsPerItem).Select(x => new TokenPositionRecord(x.DocId, x.Pos)).ToList();
            var (largest, next) = meanLoss(g.Key);
            result.Add(new InverseScalingRecord(g.Key, rank[g.Key], increases.Length, largest, next, EstimateRecord.Of(mean, e.Low, e.High), contexts));
        }
        return result.OrderByDescending(r => r.Increase.Value).ToList();
    }

    private static Task WriteItemsAsync(string runFolder, FamilyModel m, int[] item, Dictionary<int, int> rank, ItemLossCollector items, double[] loss)
    {
        var (_, counts) = items.Of(m.Name);
        return TableColumn.WriteAsync(ModelPartitions.Folder(runFolder, ModelDataset.LearningOrder, m.Name),
        [
            TableColumn.Text("model", item.Select(_ => m.Name).ToArray()),
            TableColumn.Of("step", item.Select(_ => m.Step ?? -1).ToArray()),
            TableColumn.Of("non_embedding_parameters", item.Select(_ => m.NonEmbeddingParameters).ToArray()),
            TableColumn.Of("token_id", item),
            TableColumn.Of("frequency", item.Select(items.Frequency).ToArray()),
            TableColumn.Of("frequency_rank", item.Select(t => rank[t]).ToArray()),
            TableColumn.Of("count", item.Select(t => counts[t]).ToArray()),
            TableColumn.Of("mean_loss", loss),
        ]);
    }

    private static Task WriteLearnedAtAsync(string runFolder, List<(int Token, string Series, string Variable, double LearnedAt)> rows, Dictionary<int, int> rank) =>
        TableColumn.WriteAsync(Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.LearnedAt),
        [
            TableColumn.Of("token_id", rows.Select(r => r.Token).ToArray()),
            TableColumn.Of("frequency_rank", rows.Select(r => rank[r.Token]).ToArray()),
            TableColumn.Text("series", rows.Select(r => r.Series).ToArray()),
            TableColumn.Text("variable", rows.Select(r => r.Variable).ToArray()),
            TableColumn.Of("learned_at", rows.Select(r => r.LearnedAt).ToArray()),
        ]);
}
