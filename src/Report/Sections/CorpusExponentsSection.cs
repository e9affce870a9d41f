using QuantaProbe.Core.Contracts;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>Exponents from corpus statistics: σ₁(C_n) against n with β, H_n against n with γ, α_D = γ/(2β) beside the measured α_D and the paper's.</summary>
internal static class CorpusExponentsSection
{
    public static ReportSection Build(ReportContext ctx)
    {
        var c = ctx.Decompose.CorpusExponents;
        ctx.Json["corpus_exponents"] = SummaryJson.Of(c);
        const string Group = "corpus exponents";
        var html = new System.Text.StringBuilder();
        html.Append(Markup.Paragraph("Cagnetta, Raventós, Ganguli & Wyart (2025): the top singular value of the lagged co-occurrence covariance C_n(a,b) = P(x_t=a, x_{t+n}=b) − P(a)P(b) decays as n^-β; "
            + "the next-token entropy given n tokens of context as H_n − H_∞ ∝ n^-γ; they predict the data-scaling exponent α_D = γ/(2β)."));
        if (c.Beta is { } b)
        {
            var law = b.Exponent.Value is { } beta ? Anchor(b, beta) : null;
            html.Append(Markup.Figure(ctx.Figures.Save(DecayFigure.Render("Top singular value of C_n", "lag n", "σ₁(C_n)", b.Lags.Select(n => (double)n).ToArray(), b.TopSingularValue,
                (b.FitLags[0], b.FitLags[1]), law, $"n^-β, β = {b.Exponent.Value:F3}", b.NoiseFloor), "corpus-beta"),
                $"σ₁(C_n) of the run's first {b.Tokens:N0} tokens ({b.Documents:N0} documents, {b.Vocabulary:N0} token types) with the power law fitted over lags {b.FitLags[0]}–{b.FitLags[1]}."));
            ctx.Numbers.Add(Group, "β (co-occurrence decay)", b.Exponent.Value, (b.Exponent.Ci[0], b.Exponent.Ci[1]), "paper: 0.88 TinyStories, 0.94 WikiText-103");
            html.Append(Markup.Table(["tokens (prefix)", "β"], b.Prefixes.Select(p => (IReadOnlyList<string>)[Markup.Count(p.Tokens), Markup.Number(p.Exponent)])));
        }
        if (c.Gamma is { } g)
        {
            var positions = g.Positions.Select(n => (double)n).ToArray();
            Func<double, double>? law = g.Exponent.Value is { } gamma && g.EntropyLimit is { } h && g.Amplitude is { } a ? n => h + a * Math.Pow(n, -gamma) : null;
            html.Append(Markup.Figure(ctx.Figures.Save(DecayFigure.Render($"Mean loss by context length ({g.Model})", "context length n", "H_n (nats)", positions, g.MeanLoss,
                (g.FitPositions[0], g.FitPositions[1]), law, $"H∞ + A·n^-γ, γ = {g.Exponent.Value:F3}"), "corpus-gamma"),
                $"Mean loss of {g.Model} at each context length n ({Definition(g.Definition)}), with H_∞ + A·n^-γ fitted over n = {g.FitPositions[0]}–{g.FitPositions[1]}"
                + (g.Undetermined is { } why ? $"; γ not identifiable: {why}." : ".")));
            ctx.Numbers.Add(Group, g.Definition == ContextEntropyDefinition.ContextProbe ? "γ (entropy decay with context; context probe)" : "γ (entropy decay with context; by document position)", g.Exponent.Value, (g.Exponent.Ci[0], g.Exponent.Ci[1]), "paper: 0.325 TinyStories, 0.265 WikiText-103");
            ctx.Numbers.Add(Group, "H_∞ (nats)", g.EntropyLimit);
        }
        if (c.PredictedAlphaD is { } p)
            ctx.Numbers.Add(Group, "predicted α_D = γ/(2β)", p.Value, (p.Ci[0], p.Ci[1]), "paper: 0.185 TinyStories, 0.141 WikiText-103");
        if (c.MeasuredAlphaD is { Exponent: { } m })
            ctx.Numbers.Add(Group, "measured α_D (checkpoints, L∞ + c·D^-α)", m.Value, (m.Ci[0], m.Ci[1]), string.Join(", ", c.MeasuredAlphaD.Models));
        html.Append(Markup.Table(["corpus (paper)", "β", "γ", "α_D"], c.Paper.Select(x => (IReadOnlyList<string>)[Markup.Escape(x.Corpus), Markup.Number(x.Beta), Markup.Number(x.Gamma), Markup.Number(x.AlphaD)])));
        html.Append($"<p><b>Verdict:</b> {Markup.Escape(c.Verdict)}</p>\n");
        if (c.Beta is null && c.Gamma is null)
            html.Append(Markup.Missing($"Not measured: {c.Status}.", "quanta decompose --run RUN"));
        return new ReportSection("corpus-exponents", "Data exponent from corpus statistics", html.ToString(), c.Beta is not null || c.Gamma is not null);
    }

    private static string Definition(ContextEntropyDefinition definition) => definition switch
    {
        ContextEntropyDefinition.ContextProbe => "the paper's definition: targets sampled at random offsets, each scored from a window of exactly n tokens, by quanta infer --context-probe",
        _ => "by document position: the loss at position n of each document scored from its start, net of the document's level; quanta infer --context-probe measures the paper's definition",
    };

    /// <summary>n^−β through the fit range's mean point in log space.</summary>
    private static Func<double, double> Anchor(CorrelationDecayRecord b, double beta)
    {
        var lags = Enumerable.Range(b.FitLags[0], b.FitLags[1] - b.FitLags[0] + 1).Where(n => n <= b.TopSingularValue.Length && b.TopSingularValue[n - 1] > 0).ToArray();
        double intercept = lags.Select(n => Math.Log(b.TopSingularValue[n - 1]) + beta * Math.Log(n)).DefaultIfEmpty(double.NaN).Average();
        return n => Math.Exp(intercept - beta * Math.Log(n));
    }
}
