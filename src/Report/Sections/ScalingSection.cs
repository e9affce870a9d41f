using System.Text.Json.Nodes;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>Mean loss against non-embedding parameters with the fitted laws and α_N; the same over training steps where a size has several.</summary>
internal static class ScalingSection
{
    public static ReportSection Build(ReportContext ctx)
    {
        var html = new System.Text.StringBuilder();
        var size = ctx.Decompose["scaling_in_parameters"] as JsonObject;
        if (size is null)
            html.Append(Markup.Missing("The family has fewer than two sizes, so there is no fit in parameters.", "quanta export --checkpoint DIR … --out RUN/models; quanta infer --run RUN; quanta decompose --run RUN"));
        else
        {
            ctx.Json["scaling_in_parameters"] = size.DeepClone();
            html.Append(Fit(ctx, size, "N", "non-embedding parameters N", "scaling-parameters", "α_N"));
        }
        var steps = ctx.Decompose["scaling_in_steps"] as JsonArray ?? [];
        ctx.Json["scaling_in_steps"] = steps.DeepClone();
        for (int i = 0; i < steps.Count; i++)
            if (steps[i] is JsonObject s)
                html.Append(Fit(ctx, s, "step", "training step S", $"scaling-steps-{i}", "α_S"));
        return new ReportSection("scaling", "Mean loss and scaling laws", html.ToString(), size is not null);
    }

    private static string Fit(ReportContext ctx, JsonObject fit, string variable, string axis, string figure, string symbol)
    {
        var models = Json.Strings(fit["models"]);
        var x = Json.Doubles(fit["x"]);
        var mean = Json.Doubles(fit["mean_loss"]);
        var ci = (fit["mean_loss_ci"] as JsonArray ?? []).Select(c => Json.Interval(c)).Select(c => (c.Low ?? double.NaN, c.High ?? double.NaN)).ToArray();
        string scope = variable == "N" ? "size" : $"steps of {models.FirstOrDefault()?.Split("-step")[0]}";
        var laws = new List<FittedLaw>();
        var text = new System.Text.StringBuilder();
        if (fit["pure"] is JsonObject pure && Json.Double(pure["alpha"]) is { } a && Json.Double(pure["nc"]) is { } nc)
        {
            var aci = Json.Interval(pure["alpha_ci"]);
            laws.Add(new FittedLaw($"L = ({variable}c/{variable})^α, α = {a:F3}", a, nc, 0));
            ctx.Numbers.Add($"scaling ({scope})", $"{symbol}, pure power law L = ({variable}c/{variable})^α", a, aci, "OLS of log L on log " + variable);
            ctx.Numbers.Add($"scaling ({scope})", $"{variable}c of the pure power law", nc);
            text.Append($"<p>Pure power law (the paper's fit): <b>{symbol} = {Markup.Number(a)}</b> {Markup.Interval(aci.Low, aci.High)}");
            if (variable == "N")
                text.Append(" (the paper measures α_N = 0.083 on Pythia)");
            text.Append(".</p>\n");
        }
        if (fit["with_irreducible"] is JsonObject w && Json.Double(w["alpha"]) is { } wa && Json.Double(w["nc"]) is { } wnc && Json.Double(w["irreducible_loss"]) is { } linf)
        {
            var wci = Json.Interval(w["alpha_ci"]);
            laws.Add(new FittedLaw($"L = L∞ + ({variable}c/{variable})^α, α = {wa:F3}", wa, wnc, linf));
            ctx.Numbers.Add($"scaling ({scope})", $"{symbol}, with irreducible loss L = L∞ + ({variable}c/{variable})^α", wa, wci, "Levenberg–Marquardt");
            ctx.Numbers.Add($"scaling ({scope})", "L∞ (nats)", linf);
            text.Append($"<p>With an irreducible loss: {symbol} = {Markup.Number(wa)} {Markup.Interval(wci.Low, wci.High)}, L∞ = {Markup.Number(linf)} nats.</p>\n");
        }
        if (x.Length == 0 || x.Length != mean.Length || ci.Length != mean.Length)
            return text.ToString();
        var plot = ScalingFigure.Render(variable == "N" ? "Mean loss vs non-embedding parameters" : $"Mean loss vs training step ({scope})", axis, x, mean, ci, laws);
        string caption = variable == "N" ? "Mean loss against non-embedding parameters, with 95% bootstrap intervals and the fitted laws."
            : $"Mean loss against training step for {scope}, with 95% bootstrap intervals and the fitted laws.";
        return Markup.Figure(ctx.Figures.Save(plot, figure), caption) + SameWeightsNote.Paragraph(fit["same_weights"]) + text;
    }
}
