using QuantaProbe.Core.Contracts;
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
        string LossesOf(FamilyModel m) => ModelPartitions.Folder(options.RunFolder, ModelDataset.Losses, m.Name);
        var series = FamilyModel.SizeSeries(family);
        var tokenFolder = Path.Combine(RunPaths.DecomposeFolder(options.RunFolder), RunPaths.TokenScaling);
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
        var items = LearningOrderSection.Collector(series, family);
        var corpus = CorpusExponentsSection.Collector(series, family, options.CorpusExponents);
        // The cluster items' losses are taken in the same pass; QDG, which labels them, runs after it.
        var sampleLosses = qdg ? await SampleLosses.ForGradientFoldersAsync(options.RunFolder, family) : new Dictionary<string, SampleLosses>();
        var pass = await LossesPass.RunAsync(family, LossesOf, run, series, tokenScaling, curves.Values, [items, corpus, .. sampleLosses.Values], cancel);
        var losses = pass.Documents;
        long written = pass.TokenScalingWritten;
        bool complete = series.Count < 2 || Enumerable.Range(0, checked((int)run.Parts)).All(p => PartFiles.Complete(tokenFolder).Contains(p));

        var sameWeights = DuplicateWeights.Find(family.Select(m => (m.Name, m.WeightsSha256)));
        var models = new List<SummaryModel>();
        foreach (var m in family)
        {
            var e = Bootstrap.Percentile(checked((int)run.Documents), w => losses[m.Name].Mean(w), options.Resamples, options.Seed);
            models.Add(new SummaryModel(m.Name, m.Step, m.Parameters, m.NonEmbeddingParameters, losses[m.Name].Counts.Sum(), e.Value, Interval(e),
                m.WeightsSha256, SameWeightsAs(sameWeights, m.Name).ToList()));
        }
        Estimate? alphaN = null;
        SeriesFit? sizeFit = null;
        SeriesFitRecord? sizeRecord = null;
        if (series.Count >= 2)
        {
            sizeFit = ScalingAnalysis.Fit("non_embedding_parameters", series.Select(m => m.Name).ToList(),
                series.Select(m => (double)m.NonEmbeddingParameters).ToArray(), series.Select(m => losses[m.Name]).ToList(), options.Resamples, options.Seed);
            sizeRecord = Record(sizeFit);
            alphaN = sizeFit.PureAlpha;
        }
        var stepSeries = FamilyModel.StepSeries(family);
        var steps = stepSeries.Select(s => Record(ScalingAnalysis.Fit("step", s.Select(m => m.Name).ToList(), s.Select(m => (double)m.Step!.Value).ToArray(),
                s.Select(m => losses[m.Name]).ToList(), options.Resamples, options.Seed))
            with { SameWeights = DuplicateWeights.Find(s.Select(m => (m.Name, m.WeightsSha256))).Select(g => (IReadOnlyList<string>)g.Models.ToList()).ToList() }).ToList();
        var tokenKinds = complete && series.Count >= 2 ? await CountKindsAsync(tokenFolder) : null;
        var distributions = Distributions(family, pass.Distributions);
        var truth = await GroundTruthReader.ReadAsync(options.RunFolder, run.Parts);
        var groundTruth = truth is null ? null
            : await GroundTruthSection.RunAsync(options.RunFolder, SubtaskOfDocument(truth, run), series, losses, sizeFit,
                new SubtaskOrder(family, series, stepSeries, options.LearningOrder, options.Resamples, options.Seed));
        var qdgSection = qdg
            ? await QdgSection.RunAsync(options.RunFolder, options.Qdg with { Seed = options.Seed }, alphaN, truth, series.Select(LossesOf).ToList(), curves, options.Progress, cancel)
            : new QdgSectionRecord(Status: $"run by shard 0/{options.Shard.Count}");
        ReleaseMemory();
        var schedule = options.Schedule ?? RecordedSchedule.Read(options.RunFolder);
        var timeScaling = await TimeScalingSection.RunAsync(options.RunFolder, schedule, stepSeries, losses, options.Resamples, options.Seed);
        var clusterOrder = await ClusterOrderSection.RunAsync(options.RunFolder, options.LearningOrder, qdgSection, sampleLosses, family, series, stepSeries, options.Resamples, options.Seed);
        var learningOrder = await LearningOrderSection.RunAsync(options.RunFolder, options.LearningOrder, items, family, series, stepSeries, options.Resamples, options.Seed, clusterOrder);
        var corpusExponents = await CorpusExponentsSection.RunAsync(options.RunFolder, options.CorpusExponents, corpus, schedule, stepSeries, losses,
            options.Resamples, options.Seed, options.Progress);

        var summary = new DecomposeSummary
        {
            SchemaVersion = DecomposeSummary.CurrentSchemaVersion, Stage = "decompose", ToolVersion = typeof(DecomposeStage).Assembly.GetName().Version?.ToString(),
            Seed = options.Seed, BootstrapResamples = options.Resamples, Documents = run.Documents, Models = models,
            DuplicateWeights = sameWeights.Select(g => new WeightsGroup(g.Models.ToList(), g.WeightsSha256)).ToList(),
            ScalingInParameters = sizeRecord, ScalingInSteps = steps, TokenKinds = tokenKinds, LossDistributions = distributions, GroundTruth = groundTruth, Qdg = qdgSection,
            TimeScaling = timeScaling, LearningOrder = learningOrder, CorpusExponents = corpusExponents,
        };
        summary.Write(options.RunFolder);
        var path = RunPaths.DecomposeSummary(options.RunFolder);
        return new DecomposeResult(path, written, complete);
    }

    /// <summary>
    /// QDG's arrays (the sketches: GBs at 100,000 samples) are garbage once it is done, but the collector sized its
    /// large-object budget by them, so the corpus exponents' many short-lived arrays would pile up to several times
    /// that before the next full collection (measured at 71,952 sketches: 5.9 GB peak in QDG, 17.8 GB in the β pass
    /// after it). One full, compacting collection here returns them and resets the budget.
    /// </summary>
    private static void ReleaseMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static int[] SubtaskOfDocument(Dictionary<long, int> truth, IngestedRun run)
    {
        var result = new int[run.Documents];
        for (long d = 0; d < run.Documents; d++)
            result[d] = truth.TryGetValue(d, out int s) && s >= 0 ? s
                : throw new QuantaException($"{Path.Combine(Path.GetDirectoryName(run.TokensFolder)!, RunSchemas.Documents.Folder)}: document {d} has no valid subtask; re-run the stage that wrote the documents");
        return result;
    }

    private static double[] Interval(Estimate e) => [e.Low, e.High];

    /// <summary>The other models with <paramref name="name"/>'s weights (the hub serves some revisions with another's).</summary>
    private static IEnumerable<string> SameWeightsAs(IReadOnlyList<SameWeights> groups, string name) =>
        groups.Where(g => g.Models.Contains(name)).SelectMany(g => g.Models).Where(n => n != name);

    private static SeriesFitRecord Record(SeriesFit f) => new(f.Variable, f.Models.ToList(), f.X.ToArray(), f.MeanLoss.ToArray(), f.MeanLossInterval.Select(Interval).ToList(),
        new PureFitRecord(f.Pure.Form, f.Pure.Alpha, Interval(f.PureAlpha), f.Pure.Nc, f.Pure.ResidualSumOfSquares),
        f.WithIrreducible is { } w ? new IrreducibleFitRecord(w.Form, w.Alpha, Interval(f.WithIrreducibleAlpha!), w.Nc, w.Irreducible, w.ResidualSumOfSquares) : null);

    private static async Task<Dictionary<string, long>> CountKindsAsync(string folder)
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
        return Enum.GetNames<TokenCurveKind>().Select(k => k.ToLowerInvariant()).ToDictionary(k => k, counts.GetValueOrDefault);
    }

    private static Dictionary<string, LossDistributionRecord> Distributions(IEnumerable<FamilyModel> family, Dictionary<string, LossDistributionBuilder> builders)
    {
        var result = new Dictionary<string, LossDistributionRecord>(StringComparer.Ordinal);
        foreach (var m in family)
        {
            var b = builders[m.Name];
            var d = b.Build();
            result[m.Name] = new LossDistributionRecord(d.BinEdges, d.Density, d.LossWeightedDensity,
                b.Count == 0 ? 0 : b.BelowTenthNat / (double)b.Count, b.Count == 0 ? 0 : b.BelowOneBit / (double)b.Count);
        }
        return result;
    }
}
