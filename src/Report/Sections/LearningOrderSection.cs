using QuantaProbe.Core.Contracts;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>Learning order by frequency: Zipf plot of the items, loss against frequency rank per size and checkpoint, Spearman ρ, inverse-scaling items with contexts.</summary>
internal static class LearningOrderSection
{
    private const int Bins = 16;

    public static async Task<ReportSection> BuildAsync(ReportContext ctx)
    {
        var o = ctx.Decompose.LearningOrder;
        ctx.Json["learning_order"] = SummaryJson.Of(o);
        const string Group = "learning order";
        var html = new System.Text.StringBuilder();
        html.Append(Markup.Paragraph($"Neumann & Gros: items are learned in descending order of frequency. Items: {o.Items}s scored at least {o.MinCount} times ({o.ItemCount:N0} items, {o.Occurrences:N0} tokens). "
            + $"An item is learned at the first checkpoint (or size) where its mean loss has fallen by {o.LearnedShare:P0} of its own drop from the first to the last; items dropping less than {o.MinDrop} nats are not learned."));
        if (o.ItemCount == 0)
        {
            html.Append(Markup.Missing($"Not measured: {o.Status}.", "quanta decompose --run RUN --order-min-count 5"));
            html.Append(await ClusterOrderBlock.BuildAsync(ctx, o, Group));
            return new ReportSection("learning-order", "Learning order by frequency", html.ToString(), o.Clusters.Values.Any(c => c.Status == ClusterOrderRecord.Complete));
        }
        ctx.Numbers.Add(Group, "Zipf exponent of token frequencies (MLE)", o.ZipfExponent?.Value, (o.ZipfExponent?.Ci[0], o.ZipfExponent?.Ci[1]), "half-samples of the documents");
        var sizes = o.Correlations.FirstOrDefault(c => c.Variable == "non_embedding_parameters");
        var any = await ItemLosses.ReadAsync(ctx.RunFolder, o.Correlations.FirstOrDefault()?.Models[^1] ?? o.LargestModel ?? "");
        if (any is not null)
        {
            var order = Enumerable.Range(0, any.FrequencyRank.Length).OrderBy(i => any.FrequencyRank[i]).Select(i => any.Frequency[i]).ToArray();
            html.Append(Markup.Figure(ctx.Figures.Save(ZipfFigure.Render("Item frequencies (Zipf plot)", order, o.ZipfExponent?.Value), "learning-order-zipf"),
                "Occurrences of each item against its frequency rank, with the Zipf exponent fitted by maximum likelihood over all token types."));
        }
        int figure = 0;
        foreach (var c in o.Correlations)
        {
            var curves = new List<(string Label, double[] Loss)>();
            double[] x = [];
            foreach (var model in c.Models)
                if (await ItemLosses.ReadAsync(ctx.RunFolder, model) is { } items)
                {
                    var (rank, loss) = items.Binned(Bins);
                    x = rank;
                    curves.Add((model, loss));
                }
            if (curves.Count > 0 && x.Length > 0)
                html.Append(Markup.Figure(ctx.Figures.Save(CurvesFigure.Render($"Item loss vs frequency rank ({c.Series})", "frequency rank (log bins)", x, curves, legend: curves.Count <= 8), $"learning-order-{figure++}"),
                    $"Mean loss of the items in log-spaced bins of frequency rank, one line per model of the {c.Series}: frequent items (left) should fall first."));
        }
        html.Append(LearningOrderCorrelations.Html(ctx, Group, o.Correlations, "items", "frequency rank", "Spearman ρ, frequency rank"));
        html.Append($"<p><b>Verdict:</b> {Markup.Escape(o.Verdict)}</p>\n");
        ctx.Numbers.Add(Group, "inverse-scaling items", o.InverseScalingCount, default, $"{o.LargestModel} vs {o.NextModel}");
        if (o.InverseScaling.Count > 0)
        {
            html.Append(Markup.Paragraph($"Inverse scaling: items whose mean loss is higher under {o.LargestModel} than under {o.NextModel} beyond the 95% bootstrap interval over their tokens ({o.InverseScalingCount} items; the largest increases, with the tokens where it rose most; {ctx.Contexts.Decoding}):"));
            var rows = new List<IReadOnlyList<string>>();
            foreach (var item in o.InverseScaling)
            {
                var contexts = new System.Text.StringBuilder();
                foreach (var at in item.Contexts)
                {
                    var c = await ctx.Contexts.GetAsync(at.DocId, at.Pos, ctx.Options.ContextTokens);
                    contexts.Append(TokenContextHtml.Render(c.Before, c.Token, c.After)).Append("<br>");
                }
                rows.Add([Markup.Number(item.TokenId), Markup.Count(item.FrequencyRank), Markup.Count(item.Count), Markup.Number(item.LossNext), Markup.Number(item.LossLargest),
                    $"{Markup.Number(item.Increase.Value)} {Markup.Interval(item.Increase.Ci[0], item.Increase.Ci[1])}", contexts.ToString()]);
            }
            html.Append(Markup.Table(["token id", "frequency rank", "tokens", $"loss {o.NextModel}", $"loss {o.LargestModel}", "increase [95%]", "contexts"], rows));
        }
        html.Append(await ClusterOrderBlock.BuildAsync(ctx, o, Group));
        return new ReportSection("learning-order", "Learning order by frequency", html.ToString(), true);
    }
}
