using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;

namespace QuantaProbe.Report.Sections;

/// <summary>The learning order with QDG's clusters as items (learning_order.clusters), beside the token types: per QDG model a table of ρ per series and the clusters' loss against their size rank.</summary>
internal static class ClusterOrderBlock
{
    public static async Task<string> BuildAsync(ReportContext ctx, LearningOrderRecord o, string group)
    {
        var html = new System.Text.StringBuilder();
        foreach (var (model, c) in o.Clusters)
        {
            html.Append($"<h3>QDG clusters of {Markup.Escape(model)} as items</h3>\n");
            if (c.Status != ClusterOrderRecord.Complete)
            {
                html.Append(Markup.Paragraph($"Not measured: {c.Status}."));
                continue;
            }
            html.Append(Markup.Paragraph($"Items: the clusters at the reference k = {c.ReferenceK} with at least {c.MinSize} members ({c.ItemCount} clusters, {c.Occurrences:N0} sampled tokens). "
                + "A cluster's frequency is its size; its loss under each model is its members' mean loss (the same tokens). The samples were selected for a low loss under "
                + $"{model}, so its loss is low for every cluster and inverse scaling towards it is rarely seen."));
            var rows = await ClusterOrderTable.ReadAsync(ctx.RunFolder, model);
            var sizes = c.Correlations.FirstOrDefault(x => x.Variable == "non_embedding_parameters") ?? c.Correlations.FirstOrDefault();
            if (rows is not null && sizes is not null)
            {
                var x = Enumerable.Range(1, c.ItemCount).Select(r => (double)r).ToArray();
                // Each (scored model, rank) once, the first row as before: a lookup, not a scan of the table per point.
                var loss = new Dictionary<(string, int), double>();
                foreach (var row in rows)
                    loss.TryAdd((row.ScoredModel, row.FrequencyRank), row.MeanLoss);
                var curves = sizes.Models.Select(m => (Label: m, Loss: x.Select(r => loss[(m, (int)r)]).ToArray())).ToList();
                html.Append(Markup.Figure(ctx.Figures.Save(CurvesFigure.Render($"Cluster loss vs size rank ({sizes.Series})", "cluster size rank", x, curves, legend: curves.Count <= 8),
                    $"learning-order-clusters-{FigureSet.Slug(model)}"), $"Mean loss of {model}'s QDG clusters against their size rank, one line per model of the {sizes.Series}: large clusters (left) should fall first."));
            }
            html.Append(LearningOrderCorrelations.Html(ctx, group, c.Correlations, "clusters", "size rank", "Spearman ρ, cluster size rank", scope: $"{model}, "));
            html.Append($"<p><b>Verdict (clusters):</b> {Markup.Escape(c.Verdict)}</p>\n");
            if (c.InverseScaling.Count > 0)
                html.Append(Markup.Table(["cluster", "size", $"loss {c.NextModel}", $"loss {c.LargestModel}", "increase [95%]"],
                    c.InverseScaling.Select(i => (IReadOnlyList<string>)[Markup.Number(i.Cluster), Markup.Count(i.Size), Markup.Number(i.LossNext), Markup.Number(i.LossLargest),
                        $"{Markup.Number(i.Increase.Value)} {Markup.Interval(i.Increase.Ci[0], i.Increase.Ci[1])}"])));
        }
        return html.ToString();
    }
}
