using System.Text.Json;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>Runs with planted quanta (the sparse-parity toy): each subtask's loss across sizes, the order of learning, measured α_N against the theory's and the paper's.</summary>
internal static class GroundTruthSection
{
    public static async Task<ReportSection?> BuildAsync(ReportContext ctx)
    {
        if (ctx.Decompose.GroundTruth is not { } truth)
            return null;
        ctx.Json["ground_truth"] = JsonSerializer.SerializeToNode(truth, ContractsJson.Default.GroundTruthRecord);
        const string Group = "ground truth";
        var html = new System.Text.StringBuilder();
        var pure = truth.MeasuredAlphaN?.Pure;
        var irreducible = truth.MeasuredAlphaN?.WithIrreducible;
        double? theory = truth.Theory?.AlphaN, paper = truth.Paper?.AlphaN;
        double? subtasks = truth.Subtasks, learned = truth.SubtasksLearnedByLargest;
        double? spearman = truth.SpearmanFrequencyRankVsLearnedSize, medianDrop = truth.MedianDropShare;
        (double? Low, double? High) pureCi = pure is null ? default : (pure.Ci[0], pure.Ci[1]), irreducibleCi = irreducible is null ? default : (irreducible.Ci[0], irreducible.Ci[1]);
        ctx.Numbers.Add(Group, "subtasks", subtasks);
        ctx.Numbers.Add(Group, $"subtasks learned by the largest model (mean loss < {Markup.Number(truth.LearnedBelowNats)} nats)", learned);
        ctx.Numbers.Add(Group, "Spearman ρ, frequency rank vs size where learned", spearman);
        ctx.Numbers.Add(Group, "median share of a subtask's drop in one size step", medianDrop);
        ctx.Numbers.Add(Group, "measured α_N (pure power law)", pure?.Value, pureCi);
        ctx.Numbers.Add(Group, "measured α_N (with irreducible loss)", irreducible?.Value, irreducibleCi);
        ctx.Numbers.Add(Group, "theory α_N = α", theory);
        ctx.Numbers.Add(Group, "theory rank-frequency slope −(1+α)", truth.Theory?.RankFrequencySlope);
        ctx.Numbers.Add(Group, "paper's measured α_N at this α", paper);
        html.Append(Markup.Table(["quantity", "value"], new IReadOnlyList<string>[]
        {
            ["subtasks", Markup.Number(subtasks)],
            ["learned by the largest model", Markup.Number(learned)],
            ["Spearman ρ (frequency rank vs size where learned)", Markup.Number(spearman)],
            ["median share of the drop in one size step", Markup.Number(medianDrop)],
            ["measured α_N (pure)", $"{Markup.Number(pure?.Value)} {Markup.Interval(pureCi.Low, pureCi.High)}"],
            ["measured α_N (with L∞)", $"{Markup.Number(irreducible?.Value)} {Markup.Interval(irreducibleCi.Low, irreducibleCi.High)}"],
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
        var rows = truth.BySubtask.Select(s => (IReadOnlyList<string>)[
            Markup.Number(s.Subtask), Markup.Number(s.FrequencyRank), Markup.Count(s.Examples),
            s.LearnedAtParameters is { } n ? Markup.Count(n) : "not learned", Markup.Number(s.DropShare)]).ToList();
        html.Append(Markup.Table(["subtask", "frequency rank", "examples", "learned at parameters", "drop share in one step"], rows));
        if (truth.LearningOrder is { Count: > 0 } order)
        {
            html.Append(Markup.Paragraph("The learning-order test with the true subtasks as items (the learning order section's criterion: learned where its loss has made half its own drop): "
                + "the ground truth for the token-type and cluster items."));
            html.Append(LearningOrderCorrelations.Html(ctx, Group, order, "subtasks", "frequency rank", "Spearman ρ, subtask frequency rank"));
        }
        return new ReportSection("ground-truth", "Ground truth (planted quanta)", html.ToString(), true);
    }
}
