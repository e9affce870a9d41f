using System.Text.Json.Nodes;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Html;
using QuantaProbe.Report.Inputs;
using System.Text.Json;

namespace QuantaProbe.Report.Sections;

/// <summary>
/// QDG for every model decompose clustered: the similarity matrix ordered by the reference k's clusters
/// (recomputed from the gradient sketches on a sample), the rank-frequency curves with the envelope, its
/// fitted slope and the predicted −(1+α_N), and token contexts of the largest clusters.
/// </summary>
internal static class QuantaSection
{
    private const string Title = "Quanta from gradients (QDG)";
    private const string Command = "quanta gradients --run RUN --model SMALLEST [--max-loss 0.693] then quanta decompose --run RUN";

    public static async Task<ReportSection> BuildAsync(ReportContext ctx, Action<string> progress)
    {
        var qdg = ctx.Decompose.Qdg;
        var html = new System.Text.StringBuilder();
        var predicted = qdg.PredictedSlope;
        double? predictedSlope = predicted?.Value;
        var json = new JsonObject { ["predicted_slope"] = predicted is null ? null : JsonSerializer.SerializeToNode(predicted, ContractsJson.Default.PredictedSlopeRecord) };
        if (predictedSlope is not null)
            ctx.Numbers.Add("QDG", "predicted rank-frequency slope −(1+α_N)", predictedSlope, (predicted!.Ci[0], predicted.Ci[1]));
        if (qdg.Models is not { Count: > 0 } models)
        {
            string status = qdg.Status ?? "no gradients in this run.";
            ctx.Json["qdg"] = json;
            return new ReportSection("qdg", Title, Markup.Missing($"No QDG results: {status}", Command), false);
        }
        bool any = false;
        var jsonModels = new JsonObject();
        foreach (var (model, entry) in models)
        {
            html.Append($"<h3>{Markup.Escape(model)}</h3>\n");
            if (entry.Result is not { } result)
            {
                html.Append(Markup.Missing($"QDG did not run for {model}: {entry.Status}.", Command));
                jsonModels[model] = new JsonObject { ["status"] = entry.Status };
                continue;
            }
            any = true;
            jsonModels[model] = await ModelAsync(ctx, model, result, predictedSlope, html, progress);
        }
        json["models"] = jsonModels;
        ctx.Json["qdg"] = json;
        return new ReportSection("qdg", Title, html.ToString(), any);
    }

    private static async Task<JsonObject> ModelAsync(ReportContext ctx, string model, QdgModelResult result, double? predicted, System.Text.StringBuilder html, Action<string> progress)
    {
        int referenceK = result.ReferenceK;
        string method = result.Method;
        var json = new JsonObject { ["status"] = QdgModelEntry.Complete, ["method"] = method, ["samples"] = result.Samples, ["reference_k"] = referenceK, ["ks"] = Ints(result.Ks) };
        string group = $"QDG ({model})";
        var envelope = result.EnvelopeSlope;
        var range = result.EnvelopeRankRange;
        var mle = result.ReferenceSlopeMle;
        json["envelope_slope"] = JsonSerializer.SerializeToNode(envelope, ContractsJson.Default.ResampledEstimateRecord);
        json["reference_slope_mle"] = JsonSerializer.SerializeToNode(mle, ContractsJson.Default.EstimateRecord);
        json["reference_zipf_exponent_mle"] = JsonSerializer.SerializeToNode(result.ReferenceZipfExponentMle, ContractsJson.Default.ResampledEstimateRecord);
        json["envelope_rank_range"] = Ints(range);
        json["reference_slope_ols"] = result.ReferenceSlopeOls;
        ctx.Numbers.Add(group, "samples clustered", result.Samples, note: $"{method} on the {result.Similarity.Kind.Replace('_', ' ')} similarity, sketch dimension {result.SketchDimension}, zero gradients {result.ZeroGradients}");
        ctx.Numbers.Add(group, $"envelope slope (log-log OLS, ranks {string.Join("–", range)})", envelope.Value, (envelope.Ci[0], envelope.Ci[1]), "bootstrap over samples");
        ctx.Numbers.Add(group, $"k = {referenceK} slope (log-log OLS)", result.ReferenceSlopeOls);
        ctx.Numbers.Add(group, $"k = {referenceK} slope (truncated Zipf MLE)", mle.Value, (mle.Ci[0], mle.Ci[1]), "bootstrap over samples");
        html.Append($"<p>{Markup.Count(result.Samples)} samples clustered by the {Markup.Escape(method)} method for k = {Markup.Escape(string.Join(", ", result.Ks))}. "
            + $"Envelope slope <b>{Markup.Number(envelope.Value)}</b> {Markup.Interval(envelope.Ci[0], envelope.Ci[1])}; "
            + $"k = {referenceK} MLE slope {Markup.Number(mle.Value)} {Markup.Interval(mle.Ci[0], mle.Ci[1])}; "
            + $"predicted −(1+α_N) = <b>{Markup.Number(predicted)}</b> (the paper: −1.24 measured against −1.083 predicted).</p>\n");

        var clusters = await ClusterAssignments.ReadAsync(ctx.RunFolder, model, referenceK);
        if (clusters is null)
            html.Append(Markup.Missing($"decompose/clusters/model={model} is missing.", "quanta decompose --run RUN"));
        else
            await SimilarityAsync(ctx, model, method, clusters, html, json, progress);

        var curves = await RankFrequencyCurves.ReadAsync(ctx.RunFolder, model);
        if (curves is null)
            html.Append(Markup.Missing($"decompose/rank_frequency/model={model} is missing.", "quanta decompose --run RUN"));
        else
        {
            // A nearest-neighbour QDG (above the dense limit) carries the dense method's result on a subsample of the paper's size.
            var dense = result.DenseSubsample;
            (int[], string)? subsample = dense is null ? null : (dense.Envelope, $"dense, {dense.Samples:N0} subsample: slope {dense.EnvelopeSlope:F2}");
            var plot = RankFrequencyFigure.Render($"Rank-frequency of QDG clusters ({model})", curves.SizesByK, curves.Envelope, envelope.Value,
                range.Length == 2 ? range[0] : 1, range.Length == 2 ? range[1] : curves.Envelope.Length, predicted, subsample);
            html.Append(Markup.Figure(ctx.Figures.Save(plot, $"rank-frequency-{FigureSet.Slug(model)}"),
                "Cluster sizes by rank for every k (thin), their envelope (black), the envelope's fitted slope over its rank range (red) and the predicted −(1+α_N) (blue, dashed)"
                + (dense is null ? "." : $"; the dense method's envelope on a random {dense.Samples:N0}-sample subsample (orange, dotted), beside the nearest-neighbour result on all samples.")));
            if (dense is not null)
            {
                json["dense_subsample"] = JsonSerializer.SerializeToNode(dense, ContractsJson.Default.QdgSubsampleRecord);
                ctx.Numbers.Add(group, $"envelope slope of the dense method on a {dense.Samples:N0}-sample subsample (ranks {string.Join("–", dense.EnvelopeRankRange)})",
                    dense.EnvelopeSlope, (dense.EnvelopeSlopeCi[0], dense.EnvelopeSlopeCi[1]), "bootstrap over samples");
            }
            json["envelope"] = new JsonArray(curves.Envelope.Select(s => (JsonNode)s).ToArray());
        }

        if (result.GroundTruth is { } truth)
        {
            json["ground_truth"] = JsonSerializer.SerializeToNode(truth, ContractsJson.Default.ClusterRecoveryRecord);
            var scalars = new (string Key, double? Value)[]
            {
                ("samples_scored", truth.SamplesScored), ("subtasks_present", truth.SubtasksPresent), ("true_zipf_exponent_mle", truth.TrueZipfExponentMle),
                ("k_nearest_present", truth.KNearestPresent), ("ari_at_k_present", truth.AriAtKPresent), ("nmi_at_k_present", truth.NmiAtKPresent),
                ("homogeneity_at_k_present", truth.HomogeneityAtKPresent), ("completeness_at_k_present", truth.CompletenessAtKPresent),
            }.Where(p => p.Value is not null).ToList();
            var rows = scalars.Select(p => (IReadOnlyList<string>)[Markup.Escape(p.Key), Markup.Number(p.Value)]).ToList();
            foreach (var (key, value) in scalars)
                ctx.Numbers.Add(group, $"recovery of planted quanta: {key}", value);
            foreach (var byK in truth.ByK)
            {
                rows.Add([$"ARI / NMI at k = {byK.K}", $"{Markup.Number(byK.Ari)} / {Markup.Number(byK.Nmi)}"]);
                ctx.Numbers.Add(group, $"ARI at k = {byK.K}", byK.Ari);
                ctx.Numbers.Add(group, $"NMI at k = {byK.K}", byK.Nmi);
            }
            html.Append("<p>Recovery of the planted subtasks by the clusters:</p>\n").Append(Markup.Table(["measure", "value"], rows));
        }

        if (clusters is not null)
            json["largest_clusters"] = await ContextsAsync(ctx, clusters, html);
        return json;
    }

    private static async Task SimilarityAsync(ReportContext ctx, string model, string method, ClusterAssignments clusters, System.Text.StringBuilder html, JsonObject json, Action<string> progress)
    {
        var folder = ModelPartitions.Folder(ctx.RunFolder, ModelDataset.Gradients, model);
        if (!Directory.Exists(folder))
        {
            html.Append(Markup.Missing($"The gradient sketches (gradients/model={model}) are gone, so the similarity matrix cannot be drawn.", $"quanta gradients --run RUN --model {model}"));
            return;
        }
        progress($"similarity matrix of {model}");
        // Only the drawn samples' sketches are read: the whole set is GBs at 100,000 samples.
        bool signInvariant = method != "spectral";
        var picked = SimilaritySample.Pick(clusters.SampleIds, clusters.Clusters, ctx.Options.SimilaritySamples);
        var gradients = await GradientsPartReader.ReadRowsAsync(folder, picked.SampleIds);
        var sample = SimilaritySample.Compute(picked, gradients.Sketches, gradients.Dimension, signInvariant);
        if (sample.Count < 2)
        {
            html.Append(Markup.Paragraph("Too few nonzero gradients to draw a similarity matrix."));
            return;
        }
        string what = signInvariant ? "|cosine|" : "cosine";
        var plot = SimilarityFigure.Render($"QDG similarity ({what}), k = {clusters.K}", sample.Matrix, sample.Count, sample.Boundaries, signInvariant ? 0 : -1, 1);
        html.Append(Markup.Figure(ctx.Figures.Save(plot, $"similarity-{FigureSet.Slug(model)}", 640, 560),
            $"{what} of the gradient sketches of {sample.Count} of {gradients.TotalRows} samples, ordered by their cluster at k = {clusters.K} (largest first; lines mark cluster boundaries)."));
        json["similarity_samples"] = sample.Count;
        json["similarity"] = what;
    }

    private static async Task<JsonArray> ContextsAsync(ReportContext ctx, ClusterAssignments clusters, System.Text.StringBuilder html)
    {
        var groups = Enumerable.Range(0, clusters.Clusters.Length).Where(i => clusters.Clusters[i] >= 0).GroupBy(i => clusters.Clusters[i])
            .OrderBy(g => g.Key).Take(ctx.Options.ClustersShown).ToList();
        var json = new JsonArray();
        html.Append($"<p>The {groups.Count} largest clusters at k = {clusters.K}, {ctx.Options.ContextsPerCluster} contexts each ({Markup.Escape(ctx.Contexts.Decoding)}; ⏎ is a newline):</p>\n<div class=\"clusters\">\n");
        foreach (var g in groups)
        {
            var members = g.OrderBy(i => clusters.SampleIds[i]).ToArray();
            int take = Math.Min(ctx.Options.ContextsPerCluster, members.Length);
            var contexts = new JsonArray();
            html.Append($"<div class=\"cluster\"><h4>cluster {g.Key} · {members.Length} samples</h4>\n<ol>\n");
            for (int j = 0; j < take; j++)
            {
                int i = members[(int)((long)j * members.Length / take)];
                var c = await ctx.Contexts.GetAsync(clusters.DocIds[i], clusters.Positions[i], ctx.Options.ContextTokens);
                contexts.Add(new JsonObject { ["sample_id"] = clusters.SampleIds[i], ["doc_id"] = c.DocId, ["pos"] = c.Pos, ["token_id"] = c.TokenId, ["token"] = c.Token, ["context_before"] = c.Before, ["context_after"] = c.After });
                html.Append("<li>").Append(TokenContextHtml.Render(c.Before, c.Token, c.After)).Append("</li>\n");
            }
            html.Append("</ol></div>\n");
            json.Add(new JsonObject { ["cluster"] = g.Key, ["size"] = members.Length, ["contexts"] = contexts });
        }
        html.Append("</div>\n");
        return json;
    }

    private static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());
}
