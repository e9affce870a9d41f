using System.Text.Json.Nodes;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;

namespace QuantaProbe.Report.Sections;

/// <summary>Per-token loss distributions p(L) and L·p(L) of the size series (every model when there is no series), and the shares of near-zero losses.</summary>
internal static class LossDistributionSection
{
    public static ReportSection Build(ReportContext ctx)
    {
        var all = ctx.Decompose.LossDistributions;
        if (all.Count == 0)
            return new ReportSection("distributions", "Per-token loss distributions",
                Markup.Missing("decompose/summary.json has no loss distributions.", "quanta decompose --run RUN"), false);
        var order = (ctx.Decompose.ScalingInParameters?.Models ?? []).Where(all.ContainsKey).ToList();
        if (order.Count == 0)
            order = all.Select(p => p.Key).ToList();
        var series = order.Select(m => (m, all[m].BinEdges, all[m].Density)).ToList();
        var weighted = order.Select(m => (m, all[m].BinEdges, all[m].LossWeightedDensity)).ToList();
        var json = new JsonObject();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (model, distribution) in all)
        {
            double below01 = distribution.ShareBelowTenthNat, below1bit = distribution.ShareBelowOneBit;
            json[model] = new JsonObject { ["share_below_0.1_nats"] = below01, ["share_below_1_bit"] = below1bit };
            ctx.Numbers.Add("loss distribution", $"share of {model}'s tokens below 0.1 nats", below01);
            ctx.Numbers.Add("loss distribution", $"share of {model}'s tokens below 1 bit", below1bit);
            rows.Add([Markup.Escape(model), Markup.Number(below01), Markup.Number(below1bit)]);
        }
        ctx.Json["loss_distributions"] = json;
        string html = Markup.Figure(ctx.Figures.Save(LossDistributionFigure.Render("p(L)", "density p(L)", series), "loss-density"),
                "Distribution of per-token losses p(L) for each model of the size series (log-spaced bins; darker = smaller).")
            + Markup.Figure(ctx.Figures.Save(LossDistributionFigure.Render("L·p(L)", "L·p(L)", weighted), "loss-weighted-density"),
                "Loss-weighted distribution L·p(L): where the mean loss comes from.")
            + Markup.Table(["model", "share below 0.1 nats", "share below 1 bit"], rows);
        return new ReportSection("distributions", "Per-token loss distributions", html, true);
    }
}
