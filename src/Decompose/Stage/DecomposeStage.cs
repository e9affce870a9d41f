using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Scaling;
using QuantaProbe.Decompose.TokenScaling;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// <c>quanta decompose</c>: mean loss per model with bootstrap intervals over documents,
/// scaling-law fits in non-embedding parameters (and in steps where a size has several),
/// per-token curves (decompose/token_scaling/part-k, resumable), loss distributions, and QDG on the
/// gradient sketches (clusters, rank-frequency, envelope slopes against −(1+α_N)), all summarised
/// in decompose/summary.json.
/// </summary>
public static class DecomposeStage
{
    public static async Task<DecomposeResult> RunAsync(DecomposeOptions options, CancellationToken cancel = default)
    {
        options.Validate();
        var run = IngestedRun.Open(options.RunFolder);
        using var writing = RunFolderLock.Acquire(options.RunFolder, options.Shard);
        var family = FamilyModel.Load(options.RunFolder);
        string LossesOf(FamilyModel m) => Path.Combine(options.RunFolder, RunSchemas.Losses.Folder, m.Name);
        var series = FamilyModel.SizeSeries(family);
        var folder = Path.Combine(options.RunFolder, "decompose");
        var tokenFolder = Path.Combine(folder, "token_scaling");
        TokenScalingPlan? tokenScaling = null;
        if (series.Count >= 2)
        {
            PartFiles.DeleteStaleTemps(tokenFolder, options.Shard);
            var done = PartFiles.Complete(tokenFolder);
            tokenScaling = new TokenScalingPlan(tokenFolder, new TokenCurveClassifier(series.Select(m => (double)m.NonEmbeddingParameters).ToArray()),
                Enumerable.Range(0, checked((int)run.Parts)).Select(p => (long)p).Where(p => options.Shard.Owns(p) && !done.Contains(p)).ToHashSet());
        }
        // QDG is one computation over all samples: with --shard, shard 0 does it (and needs the samples' loss curves).
        bool qdg = options.Shard.Owns(0);
        var curves = qdg && options.Qdg.CurveWeight > 0 && series.Count >= 2
            ? await QdgSection.SampleCurvesAsync(options.RunFolder, series.Select(LossesOf).ToList())
            : new Dictionary<string, SampleLossCurves>();
        var pass = await LossesPass.RunAsync(family, LossesOf, run, series, tokenScaling, curves.Values, cancel);
        var losses = pass.Documents;
        long written = pass.TokenScalingWritten;
        bool complete = series.Count < 2 || Enumerable.Range(0, checked((int)run.Parts)).All(p => PartFiles.Complete(tokenFolder).Contains(p));

        var summary = new JsonObject
        {
            ["stage"] = "decompose",
            ["tool_version"] = typeof(DecomposeStage).Assembly.GetName().Version?.ToString(),
            ["seed"] = options.Seed,
            ["bootstrap_resamples"] = options.Resamples,
            ["documents"] = run.Documents,
        };
        var sameWeights = DuplicateWeights.Find(family.Select(m => (m.Name, m.WeightsSha256)));
        var models = new JsonArray();
        foreach (var m in family)
        {
            var e = Bootstrap.Percentile(checked((int)run.Documents), w => losses[m.Name].Mean(w), options.Resamples, options.Seed);
            models.Add(new JsonObject
            {
                ["name"] = m.Name, ["step"] = m.Step, ["parameters"] = m.Parameters, ["non_embedding_parameters"] = m.NonEmbeddingParameters,
                ["tokens"] = losses[m.Name].Counts.Sum(), ["mean_loss"] = e.Value, ["mean_loss_ci"] = Interval(e),
                ["weights_sha256"] = m.WeightsSha256, ["same_weights_as"] = Names(SameWeightsAs(sameWeights, m.Name)),
            });
        }
        summary["models"] = models;
        summary["duplicate_weights"] = new JsonArray(sameWeights.Select(g => (JsonNode)new JsonObject { ["models"] = Names(g.Models), ["weights_sha256"] = g.WeightsSha256 }).ToArray());
        Estimate? alphaN = null;
        SeriesFit? sizeFit = null;
        if (series.Count >= 2)
        {
            sizeFit = ScalingAnalysis.Fit("non_embedding_parameters", series.Select(m => m.Name).ToList(),
                series.Select(m => (double)m.NonEmbeddingParameters).ToArray(), series.Select(m => losses[m.Name]).ToList(), options.Resamples, options.Seed);
            summary["scaling_in_parameters"] = Json(sizeFit);
            alphaN = sizeFit.PureAlpha;
        }
        var steps = new JsonArray();
        foreach (var s in FamilyModel.StepSeries(family))
        {
            var fit = Json(ScalingAnalysis.Fit("step", s.Select(m => m.Name).ToList(), s.Select(m => (double)m.Step!.Value).ToArray(),
                s.Select(m => losses[m.Name]).ToList(), options.Resamples, options.Seed));
            fit["same_weights"] = new JsonArray(DuplicateWeights.Find(s.Select(m => (m.Name, m.WeightsSha256))).Select(g => (JsonNode)Names(g.Models)).ToArray());
            steps.Add(fit);
        }
        summary["scaling_in_steps"] = steps;
        if (complete && series.Count >= 2)
            summary["token_kinds"] = await CountKindsAsync(tokenFolder);
        summary["loss_distributions"] = Distributions(family, pass.Distributions);
        var truth = await GroundTruthReader.ReadAsync(options.RunFolder, run.Parts);
        if (truth is not null)
            summary["ground_truth"] = await GroundTruthSection.RunAsync(options.RunFolder, SubtaskOfDocument(truth, run), series, losses, sizeFit);
        summary["qdg"] = qdg
            ? await QdgSection.RunAsync(options.RunFolder, options.Qdg with { Seed = options.Seed }, alphaN, truth, series.Select(LossesOf).ToList(), curves, options.Progress, cancel)
            : new JsonObject { ["status"] = $"run by shard 0/{options.Shard.Count}" };

        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "summary.json");
        AtomicFile.WriteAllText(path, summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return new DecomposeResult(path, written, complete);
    }

    private static int[] SubtaskOfDocument(Dictionary<long, int> truth, IngestedRun run)
    {
        var result = new int[run.Documents];
        for (long d = 0; d < run.Documents; d++)
            result[d] = truth.TryGetValue(d, out int s) && s >= 0 ? s
                : throw new QuantaException($"{Path.Combine(Path.GetDirectoryName(run.TokensFolder)!, RunSchemas.Documents.Folder)}: document {d} has no valid subtask; re-run the stage that wrote the documents");
        return result;
    }

    private static JsonArray Interval(Estimate e) => new(e.Low, e.High);

    private static JsonArray Names(IEnumerable<string> names) => new(names.Select(n => (JsonNode)n).ToArray());

    /// <summary>The other models with <paramref name="name"/>'s weights (the hub serves some revisions with another's).</summary>
    private static IEnumerable<string> SameWeightsAs(IReadOnlyList<SameWeights> groups, string name) =>
        groups.Where(g => g.Models.Contains(name)).SelectMany(g => g.Models).Where(n => n != name);

    private static JsonObject Json(SeriesFit f)
    {
        var o = new JsonObject
        {
            ["variable"] = f.Variable,
            ["models"] = new JsonArray(f.Models.Select(m => (JsonNode)m).ToArray()),
            ["x"] = new JsonArray(f.X.Select(v => (JsonNode)v).ToArray()),
            ["mean_loss"] = new JsonArray(f.MeanLoss.Select(v => (JsonNode)v).ToArray()),
            ["mean_loss_ci"] = new JsonArray(f.MeanLossInterval.Select(e => (JsonNode)Interval(e)).ToArray()),
            ["pure"] = new JsonObject { ["form"] = f.Pure.Form, ["alpha"] = f.Pure.Alpha, ["alpha_ci"] = Interval(f.PureAlpha), ["nc"] = f.Pure.Nc, ["rss"] = f.Pure.ResidualSumOfSquares },
        };
        if (f.WithIrreducible is { } w)
            o["with_irreducible"] = new JsonObject { ["form"] = w.Form, ["alpha"] = w.Alpha, ["alpha_ci"] = Interval(f.WithIrreducibleAlpha!), ["nc"] = w.Nc, ["irreducible_loss"] = w.Irreducible, ["rss"] = w.ResidualSumOfSquares };
        return o;
    }

    private static async Task<JsonObject> CountKindsAsync(string folder)
    {
        var counts = new Dictionary<string, long>();
        foreach (var file in Directory.GetFiles(folder, PartFiles.Pattern))
        {
            await using var reader = await QuantaProbe.Core.Parquet.RunPartFile.OpenAsync(file, "quanta decompose");
            var field = reader.Schema.DataFields.Single(f => f.Name == "kind");
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var kinds = new string?[group.RowCount];
                await group.ReadAsync(field, kinds.AsMemory(), null, default);
                foreach (var k in kinds)
                    counts[k!] = counts.GetValueOrDefault(k!) + 1;
            }
        }
        var o = new JsonObject();
        foreach (var kind in Enum.GetNames<TokenCurveKind>().Select(k => k.ToLowerInvariant()))
            o[kind] = counts.GetValueOrDefault(kind);
        return o;
    }

    private static JsonObject Distributions(IEnumerable<FamilyModel> family, Dictionary<string, LossDistributionBuilder> builders)
    {
        var o = new JsonObject();
        foreach (var m in family)
        {
            var b = builders[m.Name];
            var d = b.Build();
            o[m.Name] = new JsonObject
            {
                ["bin_edges"] = new JsonArray(d.BinEdges.Select(v => (JsonNode)v).ToArray()),
                ["density"] = new JsonArray(d.Density.Select(v => (JsonNode)v).ToArray()),
                ["loss_weighted_density"] = new JsonArray(d.LossWeightedDensity.Select(v => (JsonNode)v).ToArray()),
                ["share_below_0.1_nats"] = b.Count == 0 ? 0 : b.BelowTenthNat / (double)b.Count,
                ["share_below_1_bit"] = b.Count == 0 ? 0 : b.BelowOneBit / (double)b.Count,
            };
        }
        return o;
    }
}
