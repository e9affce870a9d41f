using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>The family: each model's size, step, tokens scored and mean loss with its bootstrap interval.</summary>
internal static class ModelsSection
{
    private static readonly string[] Header = ["model", "step", "parameters", "non-embedding", "tokens", "mean loss (nats)", "95% interval"];

    public static ReportSection Build(ReportContext ctx)
    {
        var models = ctx.Decompose.Models;
        ctx.Json["models"] = SummaryJson.Of(models);
        // A column for identical weights only where some exist: the hub serves some revisions with another's weights.
        bool duplicates = models.Any(m => m.SameWeightsAs.Count > 0);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var m in models)
        {
            var ci = SummaryJson.Interval(m.MeanLossCi);
            ctx.Numbers.Add("models", $"mean loss of {m.Name} (nats)", m.MeanLoss, ci);
            var row = new List<string>
            {
                Markup.Escape(m.Name), m.Step is { } s ? Markup.Count(s) : "–",
                Markup.Count(m.Parameters), Markup.Count(m.NonEmbeddingParameters),
                Markup.Count(m.Tokens), Markup.Number(m.MeanLoss), Markup.Interval(ci.Low, ci.High),
            };
            if (duplicates)
                row.Add(Markup.Escape(string.Join(", ", m.SameWeightsAs)));
            rows.Add(row);
        }
        string html = Markup.Paragraph($"{models.Count} models scored on {ctx.Decompose.Documents:N0} documents; intervals are 95% percentile bootstraps over documents ({ctx.Decompose.BootstrapResamples} resamples).")
            + (duplicates ? SameWeightsNote.Paragraph(ctx.Decompose.DuplicateWeights.Select(g => g.Models)) : "")
            + Markup.Table(duplicates ? [.. Header, "same weights as"] : Header, rows);
        return new ReportSection("models", "Models", html, models.Count > 0);
    }
}
