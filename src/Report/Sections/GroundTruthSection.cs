using System.Text.Json.Nodes;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>Runs with planted quanta (the sparse-parity toy): each subtask's loss across sizes, the order of learning, measured α_N against the theory's and the paper's.</summary>
internal static class GroundTruthSection
{
    public static async Task<ReportSection?> BuildAsync(ReportContext ctx)
    {
        if (ctx.Decompose["ground_truth"] is not JsonObject truth)
            return null;
        ctx.Json["ground_truth"] = truth.DeepClone();
        const string Group = "ground truth";
        var html = new System.Text.StringBuilder();
        var pure = truth["measured_alpha_n"]?["pure"];
        var irreducible = truth["measured_alpha_n"]?["with_irreducible"];
        double? theory = Json.Double(truth["theory"]?["alpha_n"]), paper = Json.Double(truth["paper"]?["alpha_n"]);
        ctx.Numbers.Add(Group, "subtasks", Json.Double(truth["subtasks"]));
        ctx.Numbers.Add(Group, $"subtasks learned by the largest model (mean loss < {Markup.Number(Json.Double(truth["learned_below_nats"]))} nats)", Json.Double(truth["subtasks_learned_by_largest"]));
        ctx.Numbers.Add(Group, "Spearman ρ, frequency rank vs size where learned", Json.Double(truth["spearman_frequency_rank_vs_learned_size"]));
        ctx.Numbers.Add(Group, "median share of a subtask's drop in one size step", Json.Double(truth["median_drop_share"]));
        ctx.Numbers.Add(Group, "measured α_N (pure power law)", Json.Double(pure?["value"]), Json.Interval(pure?["ci"]));
        ctx.Numbers.Add(Group, "measured α_N (with irreducible loss)", Json.Double(irreducible?["value"]), Json.Interval(irreducible?["ci"]));
        ctx.Numbers.Add(Group, "theory α_N = α", theory);
        ctx.Numbers.Add(Group, "theory rank-frequency slope −(1+α)", Json.Double(truth["theory"]?["rank_frequency_slope"]));
        ctx.Numbers.Add(Group, "paper's measured α_N at this α", paper);
        html.Append(Markup.Table(["quantity", "value"], new IReadOnlyList<string>[]
        {
            ["subtasks", Markup.Number(Json.Double(truth["subtasks"]))],
            ["learned by the largest model", Markup.Number(Json.Double(truth["subtasks_learned_by_largest"]))],
            ["Spearman ρ (frequency rank vs size where learned)", Markup.Number(Json.Double(truth["spearman_frequency_rank_vs_learned_size"]))],
            ["median share of the drop in one size step", Markup.Number(Json.Double(truth["median_drop_share"]))],
            ["measured α_N (pure)", $"{Markup.Number(Json.Double(pure?["value"]))} {Markup.Interval(Json.Interval(pure?["ci"]).Low, Json.Interval(pure?["ci"]).High)}"],
            ["measured α_N (with L∞)", $"{Markup.Number(Json.Double(irreducible?["value"]))} {Markup.Interval(Json.Interval(irreducible?["ci"]).Low, Json.Interval(irreducible?["ci"]).High)}"],
            ["theory α_N / paper's measured α_N", $"{Markup.Number(theory)} / {Markup.Number(paper)}"],
        }));
        var curves = await SubtaskCurves.ReadAsync(ctx.RunFolder);
        if (curves is not null && curves.Curves.Count > 0)
        {
            var plot = CurvesFigure.Render("Loss of each planted subtask", "non-embedding parameters N", curves.Parameters.Select(p => (double)p).ToArray(),
                curves.Curves.Select(c => ($"subtask {c.Subtask} (rank {c.FrequencyRank})", c.MeanLoss)).ToList(), legend: curves.Curves.Count <= 10);
            html.Append(Markup.Figure(ctx.Figures.Save(plot, "ground-truth-subtasks"),
                $"Mean loss of each true subtask across model sizes{(curves.Curves.Count <= 10 ? "" : " (darker = more frequent)")}; frequent subtasks should be learned by smaller models."));
        }
        var rows = (truth["by_subtask"] as JsonArray ?? []).Select(s => (IReadOnlyList<string>)[
            Markup.Number(Json.Double(s?["subtask"])), Markup.Number(Json.Double(s?["frequency_rank"])), Markup.Count(Json.Long(s?["examples"]) ?? 0),
            Json.Long(s?["learned_at_parameters"]) is { } n ? Markup.Count(n) : "not learned", Markup.Number(Json.Double(s?["drop_share"]))]).ToList();
        html.Append(Markup.Table(["subtask", "frequency rank", "examples", "learned at parameters", "drop share in one step"], rows));
        return new ReportSection("ground-truth", "Ground truth (planted quanta)", html.ToString(), true);
    }
}
