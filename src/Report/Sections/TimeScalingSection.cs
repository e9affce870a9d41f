using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>One-third time scaling: each size's mean loss against the cumulative learning rate τ, the fit L = c·τ^−α + L0, α against 1/3.</summary>
internal static class TimeScalingSection
{
    public static ReportSection Build(ReportContext ctx)
    {
        var t = ctx.Decompose.TimeScaling;
        ctx.Json["time_scaling"] = SummaryJson.Of(t);
        const string Group = "one-third time scaling";
        var html = new System.Text.StringBuilder();
        html.Append(Markup.Paragraph($"Liu, Liu, Pehlevan & Gore: {t.Paper}. τ(step) = Σ η_t of the family's learning-rate schedule; fit L = c·τ^-α + L0 per size (bootstrap over documents)."));
        if (t.Schedule is { } s)
            html.Append(Markup.Paragraph($"Schedule: {s.Optimizer ?? "optimizer not given"}, linear warm-up over {s.WarmupSteps} steps to {s.PeakLr:G3}, {s.Decay} decay to {s.FinalLr:G3} at step {s.DecaySteps}, never below {s.MinLr:G3}"
                + (s.TokensPerStep is { } tps ? $"; {tps:N0} tokens a step." : ".")));
        if (t.Sizes.Count == 0)
        {
            html.Append(Markup.Missing($"Not measured: {t.Status}.", "quanta decompose --run RUN --peak-lr 3e-3 --warmup-steps 60 --decay-steps 1200 (or a \"schedule\" object in the run config)"));
            return new ReportSection("time-scaling", "One-third time scaling", html.ToString(), false);
        }
        for (int i = 0; i < t.Sizes.Count; i++)
        {
            var f = t.Sizes[i];
            string size = $"{f.NonEmbeddingParameters:N0} non-embedding parameters";
            var laws = new List<FittedLaw> { new($"pure: α = {f.PureAlpha.Value:F3}", f.PureAlpha.Value ?? double.NaN, PureNc(f), 0) };
            if (f.Alpha is { Value: { } a } && f.C is { } c && f.IrreducibleLoss is { } l0)
                laws.Insert(0, new FittedLaw($"c·τ^-α + L0: α = {a:F3}", a, Math.Pow(c, 1 / a), l0));
            var ci = f.MeanLossCi.Select(SummaryJson.Interval).Select(x => (x.Low ?? double.NaN, x.High ?? double.NaN)).ToArray();
            var plot = ScalingFigure.Render($"Mean loss vs τ ({size})", "cumulative learning rate τ = Σ η", f.Tau, f.MeanLoss, ci, laws);
            html.Append(Markup.Figure(ctx.Figures.Save(plot, $"time-scaling-{i}"), $"Mean loss of the {size} over its checkpoints against τ, with 95% bootstrap intervals and the fitted laws."));
            html.Append(Markup.Paragraph($"{size}: {f.Verdict}."));
            ctx.Numbers.Add(Group, $"α ({size}), L = c·τ^-α + L0", f.Alpha?.Value, f.Alpha is { } e ? (e.Ci[0], e.Ci[1]) : default, "paper: 1/3");
            ctx.Numbers.Add(Group, $"α ({size}), pure power law", f.PureAlpha.Value, (f.PureAlpha.Ci[0], f.PureAlpha.Ci[1]));
            ctx.Numbers.Add(Group, $"L0 ({size}, nats)", f.IrreducibleLoss);
        }
        return new ReportSection("time-scaling", "One-third time scaling", html.ToString(), true);
    }

    /// <summary>N_c of the pure law L = (N_c/τ)^α: the figure's law form.</summary>
    private static double PureNc(QuantaProbe.Core.Contracts.TimeScalingFitRecord f)
    {
        double a = f.PureAlpha.Value ?? double.NaN;
        var lx = f.Tau.Select(v => Math.Log(v)).ToArray();
        var ly = f.MeanLoss.Select(v => Math.Log(v)).ToArray();
        double intercept = ly.Average() + a * lx.Average();
        return Math.Exp(intercept / a);
    }
}
