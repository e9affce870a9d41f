using System.Text.Json.Nodes;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>How many tokens are monogenic, polygenic or flat, and examples of each with their loss curves across sizes.</summary>
internal static class TokenKindsSection
{
    public static async Task<ReportSection> BuildAsync(ReportContext ctx)
    {
        const string Title = "Monogenic and polygenic tokens";
        var examples = await TokenExamples.ReadAsync(ctx.RunFolder, ctx.Options.TokenExamples);
        if (examples is null)
            return new ReportSection("tokens", Title, Markup.Missing("There are no per-token curves (decompose/token_scaling): the family needs at least two sizes.",
                "quanta decompose --run RUN (after quanta export and quanta infer of a second size)"), false);
        var html = new System.Text.StringBuilder();
        var kinds = ctx.Decompose.TokenKinds;
        if (kinds is not null)
        {
            ctx.Json["token_kinds"] = SummaryJson.Of(kinds);
            double total = kinds.Sum(p => (double)p.Value);
            foreach (var (kind, count) in kinds)
                ctx.Numbers.Add("token kinds", $"{kind} tokens", count, note: total > 0 ? $"{100 * count / total:F1}% of {total:N0}" : "");
            html.Append(Markup.Table(["kind", "tokens", "share"], kinds.Select(p => (IReadOnlyList<string>)[Markup.Escape(p.Key), Markup.Count(p.Value),
                total > 0 ? $"{100 * p.Value / total:F1}%" : "–"])));
        }
        html.Append(Markup.Paragraph("Monogenic: the loss drops sharply at one scale (one quantum learned); polygenic: it falls gradually (several quanta help). The examples below are the tokens whose loss drops the most from the smallest to the largest model, one per document."));

        var parameters = ModelParameters(ctx, examples.Models);
        var json = new JsonObject { ["models"] = new JsonArray(examples.Models.Select(m => (JsonNode)m).ToArray()) };
        foreach (var (kind, list) in new[] { ("monogenic", examples.Monogenic), ("polygenic", examples.Polygenic) })
        {
            var items = new JsonArray();
            var rows = new List<IReadOnlyList<string>>();
            var curves = new List<(string, double[])>();
            foreach (var t in list)
            {
                var context = await ctx.Contexts.GetAsync(t.DocId, t.Pos, ctx.Options.ContextTokens);
                curves.Add(($"'{TokenContextHtml.Label(context.Token)}' (doc {t.DocId}, pos {t.Pos})", t.Losses.Select(l => (double)l).ToArray()));
                items.Add(new JsonObject
                {
                    ["doc_id"] = t.DocId, ["pos"] = t.Pos, ["token_id"] = context.TokenId, ["token"] = context.Token, ["context_before"] = context.Before,
                    ["exponent"] = t.Exponent, ["losses"] = new JsonArray(t.Losses.Select(l => (JsonNode)l).ToArray()),
                });
                rows.Add([TokenContextHtml.Render(context.Before, context.Token, context.After), $"{t.DocId}:{t.Pos}",
                    string.Join(" → ", t.Losses.Select(l => Markup.Number(l))), Markup.Number(t.Exponent)]);
            }
            json[kind] = items;
            if (list.Count == 0)
            {
                html.Append(Markup.Paragraph($"No {kind} tokens in this run."));
                continue;
            }
            if (parameters is not null)
                html.Append(Markup.Figure(ctx.Figures.Save(CurvesFigure.Render($"{kind} tokens", "non-embedding parameters N", parameters, curves), $"tokens-{kind}"),
                    $"Loss of {list.Count} {kind} tokens across model sizes."));
            html.Append(Markup.Table(["context (predicted token highlighted)", "doc:pos", "loss per size (nats, smallest first)", "exponent"], rows));
        }
        ctx.Json["token_examples"] = json;
        return new ReportSection("tokens", Title, html.ToString(), true);
    }

    private static double[]? ModelParameters(ReportContext ctx, IReadOnlyList<string> models)
    {
        var byName = ctx.Decompose.Models.ToDictionary(m => m.Name, m => (double?)m.NonEmbeddingParameters);
        var x = models.Select(m => byName.GetValueOrDefault(m)).ToArray();
        return x.All(v => v is > 0) ? x.Select(v => v!.Value).ToArray() : null;
    }
}
