using System.Text.Json.Nodes;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>The family: each model's size, step, tokens scored and mean loss with its bootstrap interval.</summary>
internal static class ModelsSection
{
    private static readonly string[] Header = ["model", "step", "parameters", "non-embedding", "tokens", "mean loss (nats)", "95% interval"];

    public static ReportSection Build(ReportContext ctx)
    {
        var models = ctx.Decompose["models"] as JsonArray ?? [];
        ctx.Json["models"] = models.DeepClone();
        // A column for identical weights only where some exist: the hub serves some revisions with another's weights.
        bool duplicates = models.Any(m => Json.Strings(m?["same_weights_as"]).Length > 0);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var m in models)
        {
            string name = Json.String(m?["name"]) ?? "?";
            var ci = Json.Interval(m?["mean_loss_ci"]);
            ctx.Numbers.Add("models", $"mean loss of {name} (nats)", Json.Double(m?["mean_loss"]), ci);
            var row = new List<string>
            {
                Markup.Escape(name), Json.Long(m?["step"]) is { } s ? Markup.Count(s) : "–",
                Markup.Count(Json.Long(m?["parameters"]) ?? 0), Markup.Count(Json.Long(m?["non_embedding_parameters"]) ?? 0),
                Markup.Count(Json.Long(m?["tokens"]) ?? 0), Markup.Number(Json.Double(m?["mean_loss"])), Markup.Interval(ci.Low, ci.High),
            };
            if (duplicates)
                row.Add(Markup.Escape(string.Join(", ", Json.Strings(m?["same_weights_as"]))));
            rows.Add(row);
        }
        string html = Markup.Paragraph($"{models.Count} models scored on {Json.Long(ctx.Decompose["documents"]) ?? 0:N0} documents; intervals are 95% percentile bootstraps over documents ({Json.Long(ctx.Decompose["bootstrap_resamples"]) ?? 0} resamples).")
            + (duplicates ? SameWeightsNote.Paragraph(ctx.Decompose["duplicate_weights"]) : "")
            + Markup.Table(duplicates ? [.. Header, "same weights as"] : Header, rows);
        return new ReportSection("models", "Models", html, models.Count > 0);
    }
}
