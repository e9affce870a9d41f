using QuantaProbe.Core.Contracts;
using System.Text.Json;
using Parquet.Schema;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.GroundTruth;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Scaling;
using G = QuantaProbe.Core.Parquet.RunSchemas.Gradients;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// The QDG part of <c>quanta decompose</c>: for every complete gradients/&lt;model&gt; folder,
/// clusters for each k (decompose/clusters/model=&lt;model&gt;), cluster sizes by rank and the envelope
/// (decompose/rank_frequency/model=&lt;model&gt;, envelope rows have n_clusters = 0), and the fitted slopes
/// against the prediction −(1+α_N). A model's result (decompose/qdg/&lt;model&gt;.json, written last)
/// is reused while its settings and gradients are unchanged, so a resumed run skips finished work.
/// </summary>
internal static class QdgSection
{
    /// <summary>
    /// For a curve-weighted QDG: a collector of the loss curves of each gradients/&lt;model&gt; folder's selected
    /// samples (selection.parquet order = sample_id), for decompose's one pass over the losses to fill.
    /// </summary>
    public static async Task<Dictionary<string, SampleLossCurves>> SampleCurvesAsync(string runFolder, IReadOnlyList<string> sizeLosses)
    {
        var result = new Dictionary<string, SampleLossCurves>(StringComparer.Ordinal);
        foreach (var (model, folder) in GradientFolders(runFolder))
        {
            var selection = Path.Combine(folder, G.SelectionFile);
            if (!File.Exists(selection))
                continue;
            await using var columns = await ParquetColumns.OpenAsync(selection, "quanta gradients");
            result[model] = new SampleLossCurves(sizeLosses, await columns.ReadAsync<long>(G.DocId.Name), await columns.ReadAsync<int>(G.Pos.Name));
        }
        return result;
    }

    /// <param name="sizeLosses">The losses/ folders of the family's sizes, smallest first: the loss curves of a curve-weighted QDG.</param>
    /// <param name="curves">Per model, its samples' loss curves (<see cref="SampleCurvesAsync"/>, filled); used when the curve weight is positive.</param>
    public static async Task<QdgSectionRecord> RunAsync(string runFolder, QdgOptions options, Estimate? alphaN, IReadOnlyDictionary<long, int>? truth,
        IReadOnlyList<string> sizeLosses, IReadOnlyDictionary<string, SampleLossCurves> curves, Action<string>? progress, CancellationToken cancel)
    {
        if (options.CurveWeight > 0 && sizeLosses.Count < 2)
            throw QdgOptions.Settings.CurveWeight.Invalid(QdgOptions.Settings.CurveWeight.Format.Show(options.CurveWeight), $"loss curves need a family of two or more sizes, this run has {sizeLosses.Count}; use 0");
        var root = ModelPartitions.DatasetFolder(runFolder, ModelDataset.Gradients);
        var predicted = alphaN is null ? null
            : new PredictedSlopeRecord(EstimateRecord.Finite(-(1 + alphaN.Value)), [EstimateRecord.Finite(-(1 + alphaN.High)), EstimateRecord.Finite(-(1 + alphaN.Low))], alphaN.Value);
        if (!Directory.Exists(root))
            return new QdgSectionRecord(predicted, Status: "no gradients in this run: run `quanta gradients` first");
        var models = new Dictionary<string, QdgModelEntry>(StringComparer.Ordinal);
        foreach (var (model, folder) in GradientFolders(runFolder))
        {
            cancel.ThrowIfCancellationRequested();
            models[model] = await ModelAsync(runFolder, model, folder, options, alphaN, truth, sizeLosses, curves.GetValueOrDefault(model), progress);
        }
        return new QdgSectionRecord(predicted, Models: models);
    }

    /// <summary>The gradients/model=&lt;name&gt; folders, by name.</summary>
    private static IEnumerable<(string Model, string Folder)> GradientFolders(string runFolder)
    {
        var root = ModelPartitions.DatasetFolder(runFolder, ModelDataset.Gradients);
        return !Directory.Exists(root) ? []
            : Directory.GetDirectories(root).Order(StringComparer.Ordinal)
                .Select(f => (Model: ModelPartitions.ModelOf(f), Folder: f)).Where(x => x.Model is not null).Select(x => (x.Model!, x.Folder));
    }

    private static async Task<QdgModelEntry> ModelAsync(string runFolder, string model, string folder, QdgOptions options, Estimate? alphaN, IReadOnlyDictionary<long, int>? truth,
        IReadOnlyList<string> sizeLosses, SampleLossCurves? sampleCurves, Action<string>? progress)
    {
        var selection = Path.Combine(folder, G.SelectionFile);
        if (!File.Exists(selection))
            return Status("no selection.parquet: `quanta gradients` has not run to completion for this model");
        long expected = await ParquetRowCount.OfAsync(selection, "quanta gradients");
        var gradients = await GradientsPartReader.ReadAsync(folder);
        if (gradients.Count != expected || gradients.SampleIds.Where((id, i) => id != i).Any())
            return Status($"incomplete: {gradients.Count:N0} of {expected:N0} gradients; finish `quanta gradients --model {model}`");
        if (!options.Ks.Any(k => k >= 1 && k < gradients.Count))
            return Status($"only {gradients.Count} gradients, not more than any k of {string.Join(",", options.Ks)}: QDG needs more samples (--n) or smaller k (--k)");

        var givenKs = options.Ks;
        options = options with { Ks = options.KsFor(gradients.Count) };
        var plan = QdgPlan.For(gradients.Count, gradients.Dimension, options, inPlace: true);
        if (plan.Obstacle(gradients.Count, QdgPlan.AvailableBytes()) is { } obstacle)
            throw new QuantaException($"{folder}: QDG of {gradients.Count:N0} sketches of {gradients.Dimension:N0}: {obstacle}; "
                + (plan.Similarity == QdgSimilarity.Dense && options.Method == QdgMethod.Spectral ? "use --method agglomerative, or " : "")
                + "select fewer tokens (`quanta gradients --n`) or a smaller sketch (--k-in, --k-out)");

        // With planted quanta, also cluster at k = the number of true subtasks among the samples, and score every k.
        int[]? trueLabels = truth is null ? null : gradients.DocIds.Select(d => truth.TryGetValue(d, out int t) ? t : -1).ToArray();
        if (trueLabels is not null && trueLabels.Distinct().Count() is int present && present >= 2 && present < gradients.Count)
            options = options with { Ks = options.Ks.Append(present).Distinct().Order().ToList() };

        var settings = new QdgSettingsRecord(options.Method.ToString().ToLowerInvariant(), options.Ks, options.ReferenceKFor(gradients.Count), options.ReferenceKRule, options.Restarts, options.Seed, options.Resamples,
            options.RankRange is { } r ? [r.First, r.Last] : null, options.DenseLimit, options.Neighbours,
            options.CurveWeight, options.CurveWeight > 0 ? sizeLosses.Select(Path.GetFileName).ToArray() : null,
            gradients.Count, gradients.Dimension, Fingerprint(gradients), trueLabels is not null);
        string settingsText = Compact(settings);
        var resultPath = Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.Qdg, model + ".json");
        if (StoredResult(resultPath) is { } previous && Compact(previous.Settings) == settingsText)
            return QdgModelEntry.Of(previous);

        progress?.Invoke($"QDG for {model}: {gradients.Count:N0} sketches of {gradients.Dimension:N0}");
        var curves = options.CurveWeight > 0 ? CurvesOf(sampleCurves, gradients, selection) : null;
        // The paper's dense QDG of a 10,000 subsample first: the full nearest-neighbour QDG then normalises the sketches in place (no second copy).
        var subsample = plan.Similarity == QdgSimilarity.NearestNeighbours
            ? QdgSubsample.Run(gradients.Sketches, gradients.Count, gradients.Dimension, options with { Ks = givenKs }, curves, sizeLosses.Count)
            : null;
        // gradients.Sketches are overwritten here and not read after (the fingerprint above already has them).
        var result = QdgAnalysis.RunInPlace(gradients.Sketches, gradients.Count, gradients.Dimension, options, progress, curves, sizeLosses.Count);
        if (result.Similarity != QdgSimilarity.NearestNeighbours)
            subsample = null; // zero gradients left few enough for the dense method
        var metadata = new Dictionary<string, string> { [MetadataKeys.Stage] = "decompose", [MetadataKeys.Model] = model, [MetadataKeys.QdgSettings] = settingsText };
        await WriteClustersAsync(ModelPartitions.Folder(runFolder, ModelDataset.Clusters, model), model, gradients, result, metadata);
        await WriteRankFrequencyAsync(ModelPartitions.Folder(runFolder, ModelDataset.RankFrequency, model), model, result, metadata);

        var computed = new QdgModelResult(QdgModelEntry.Complete, settings, result.Method.ToString().ToLowerInvariant(), result.Samples, result.ZeroGradients, gradients.Dimension,
            result.Sizes.Keys.Order().ToArray(), [result.RankFirst, result.RankLast], Resampled(result.EnvelopeSlope), result.ReferenceK, result.ReferenceSlope,
            Resampled(result.ReferenceExponent), EstimateRecord.Of(-result.ReferenceExponent.Value, -result.ReferenceExponent.High, -result.ReferenceExponent.Low),
            result.Sizes[result.ReferenceK].Take(20).ToArray(), result.SimilaritySeconds, result.ClusteringSeconds,
            new QdgSimilarityRecord(result.Similarity == QdgSimilarity.Dense ? "dense" : "nearest_neighbours", options.DenseLimit,
                result.Similarity == QdgSimilarity.Dense ? null : result.Neighbours, result.Similarity == QdgSimilarity.Dense ? null : result.GraphComponents, plan.BytesNeeded),
            subsample is null ? null : new QdgSubsampleRecord(subsample.Samples, options.Seed, subsample.Sizes.Keys.Order().ToArray(),
                [subsample.RankFirst, subsample.RankLast], subsample.EnvelopeSlope.Value, [subsample.EnvelopeSlope.Low, subsample.EnvelopeSlope.High], subsample.Envelope),
            alphaN is null ? null : -(1 + alphaN.Value),
            trueLabels is null ? null : ClusterRecovery.Score(result.Labels, trueLabels));
        AtomicFile.WriteAllText(resultPath, ContractFile.Text(computed, ContractsJson.Default.QdgModelResult));
        return QdgModelEntry.Of(computed);
    }

    private static float[] CurvesOf(SampleLossCurves? curves, GradientSketches gradients, string selection) =>
        curves is not null && curves.DocIds.AsSpan().SequenceEqual(gradients.DocIds) && curves.Positions.AsSpan().SequenceEqual(gradients.Positions)
            ? curves.Complete()
            : throw new QuantaException($"{selection}: its tokens differ from the gradients beside it; delete {Path.GetDirectoryName(selection)} and re-run `quanta gradients`");

    private static QdgModelEntry Status(string text) => QdgModelEntry.NotRun(text);

    /// <summary>A model's stored result, or null where there is none or it does not read as one (then it is recomputed).</summary>
    private static QdgModelResult? StoredResult(string path)
    {
        if (!File.Exists(path))
            return null;
        try { return JsonSerializer.Deserialize(File.ReadAllBytes(path), ContractsJson.Default.QdgModelResult); }
        catch (JsonException) { return null; }
    }

    /// <summary>The settings on one line, as the parquet metadata carries them and stored results are compared by.</summary>
    private static string Compact(QdgSettingsRecord settings) => JsonSerializer.SerializeToNode(settings, ContractsJson.Default.QdgSettingsRecord)!.ToJsonString();

    private static ResampledEstimateRecord Resampled(Estimate e) =>
        new(EstimateRecord.Finite(e.Value), [EstimateRecord.Finite(e.Low), EstimateRecord.Finite(e.High)], e.Resamples);

    /// <summary>A cheap content fingerprint of the sketches, so changed gradients invalidate a stored result.</summary>
    private static string Fingerprint(GradientSketches g)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(g.Sketches.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(g.DocIds.AsSpan()));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(g.Positions.AsSpan()));
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>One row per sample and k; cluster ids are ranks by size (0 = the largest cluster of that k), -1 for a zero gradient.</summary>
    private static async Task WriteClustersAsync(string folder, string model, GradientSketches g, QdgResult result, Dictionary<string, string> metadata)
    {
        var ks = result.Labels.Keys.Order().ToArray();
        int n = g.Count, rows = n * ks.Length;
        var sampleIds = new int[rows];
        var docIds = new long[rows];
        var positions = new int[rows];
        var nClusters = new int[rows];
        var clusters = new int[rows];
        int row = 0;
        foreach (int k in ks)
        {
            var labels = result.Labels[k];
            // Zero gradients (label -1) are no cluster: they keep -1 and take no rank.
            var rank = labels.Where(l => l >= 0).GroupBy(l => l).OrderByDescending(c => c.Count()).ThenBy(c => c.Key).Select((c, r) => (c.Key, r)).ToDictionary(p => p.Key, p => p.r);
            rank[-1] = -1;
            for (int i = 0; i < n; i++, row++)
                (sampleIds[row], docIds[row], positions[row], nClusters[row], clusters[row]) = (g.SampleIds[i], g.DocIds[i], g.Positions[i], k, rank[labels[i]]);
        }
        var modelField = new DataField<string>("model", false);
        var fields = (Sample: new DataField<int>("sample_id"), Doc: new DataField<long>("doc_id"), Pos: new DataField<int>("pos"), K: new DataField<int>("n_clusters"), Cluster: new DataField<int>("cluster"));
        await WriteOneAsync(folder, new ParquetSchema(modelField, fields.Sample, fields.Doc, fields.Pos, fields.K, fields.Cluster), metadata, async w =>
        {
            await w.WriteAsync(modelField, Enumerable.Repeat(model, rows).ToArray());
            await w.WriteAsync(fields.Sample, (ReadOnlyMemory<int>)sampleIds);
            await w.WriteAsync(fields.Doc, (ReadOnlyMemory<long>)docIds);
            await w.WriteAsync(fields.Pos, (ReadOnlyMemory<int>)positions);
            await w.WriteAsync(fields.K, (ReadOnlyMemory<int>)nClusters);
            await w.WriteAsync(fields.Cluster, (ReadOnlyMemory<int>)clusters);
        });
    }

    private static async Task WriteRankFrequencyAsync(string folder, string model, QdgResult result, Dictionary<string, string> metadata)
    {
        var curves = result.Sizes.Keys.Order().Select(k => (K: k, Sizes: result.Sizes[k])).Append((K: 0, Sizes: result.Envelope)).ToArray();
        var ks = curves.SelectMany(c => Enumerable.Repeat(c.K, c.Sizes.Length)).ToArray();
        var ranks = curves.SelectMany(c => Enumerable.Range(1, c.Sizes.Length)).ToArray();
        var sizes = curves.SelectMany(c => c.Sizes).ToArray();
        var modelField = new DataField<string>("model", false);
        var kField = new DataField<int>("n_clusters");
        var rankField = new DataField<int>("rank");
        var sizeField = new DataField<int>("size");
        await WriteOneAsync(folder, new ParquetSchema(modelField, kField, rankField, sizeField), metadata, async w =>
        {
            await w.WriteAsync(modelField, Enumerable.Repeat(model, ks.Length).ToArray());
            await w.WriteAsync(kField, (ReadOnlyMemory<int>)ks);
            await w.WriteAsync(rankField, (ReadOnlyMemory<int>)ranks);
            await w.WriteAsync(sizeField, (ReadOnlyMemory<int>)sizes);
        });
    }

    private static async Task WriteOneAsync(string folder, ParquetSchema schema, Dictionary<string, string> metadata, Func<Parquet.ParquetRowGroupWriter, Task> write)
    {
        PartFiles.DeleteStaleTemps(folder, ShardSpec.All);
        await using var writer = await ParquetPartWriter.CreateAsync(folder, 0, schema, metadata);
        await writer.WriteRowGroupAsync(write);
        await writer.CompleteAsync();
    }
}
