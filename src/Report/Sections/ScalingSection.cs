using QuantaProbe.Core.Contracts;
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
        var size = ctx.Decompose.ScalingInParameters;
        if (size is null)
            html.Append(Markup.Missing("The family has fewer than two sizes, so there is no fit in parameters.", "quanta export --checkpoint DIR … --out RUN/models; quanta infer --run RUN; quanta decompose --run RUN"));
        else
        {
            ctx.Json["scaling_in_parameters"] = SummaryJson.Of(size);
            html.Append(Fit(ctx, size, "N", "non-embedding parameters N", "scaling-parameters", "α_N"));
        }
        var steps = ctx.Decompose.ScalingInSteps;
        ctx.Json["scaling_in_steps"] = SummaryJson.Of(steps);
        for (int i = 0; i < steps.Count; i++)
            html.Append(Fit(ctx, steps[i], "step", "training step S", $"scaling-steps-{i}", "α_S"));
        return new ReportSection("scaling", "Mean loss and scaling laws", html.ToString(), size is not null);
    }

    private static string Fit(ReportContext ctx, SeriesFitRecord fit, string variable, string axis, string figure, string symbol)
    {
        var models = fit.Models;
        var x = fit.X;
        var mean = fit.MeanLoss;
        var ci = fit.MeanLossCi.Select(SummaryJson.Interval).Select(c => (c.Low ?? double.NaN, c.High ?? double.NaN)).ToArray();
        string scope = variable == "N" ? "size" : $"steps of {models.FirstOrDefault()?.Split("-step")[0]}";
        var laws = new List<FittedLaw>();
        var text = new System.Text.StringBuilder();
        if (fit.Pure is { Alpha: var a, Nc: var nc } pure)
        {
            var aci = SummaryJson.Interval(pure.AlphaCi);
            laws.Add(new FittedLaw($"L = ({variable}c/{variable})^α, α = {a:F3}", a, nc, 0));
            ctx.Numbers.Add($"scaling ({scope})", $"{symbol}, pure power law L = ({variable}c/{variable})^α", a, aci, "OLS of log L on log " + variable);
            ctx.Numbers.Add($"scaling ({scope})", $"{variable}c of the pure power law", nc);
            text.Append($"<p>Pure power law (the paper's fit): <b>{symbol} = {Markup.Number(a)}</b> {Markup.Interval(aci.Low, aci.High)}");
            if (variable == "N")
                text.Append(" (the paper measures α_N = 0.083 on Pythia)");
            text.Append(".</p>\n");
        }
        if (fit.WithIrreducible is { Alpha: var wa, Nc: var wnc, IrreducibleLoss: var linf } w)
        {
            var wci = SummaryJson.Interval(w.AlphaCi);
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
        return Markup.Figure(ctx.Figures.Save(plot, figure), caption) + SameWeightsNote.Paragraph(fit.SameWeights) + text;
    }
}
