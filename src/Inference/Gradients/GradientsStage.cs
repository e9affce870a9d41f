using QuantaProbe.Core.Contracts;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using S = QuantaProbe.Core.Parquet.RunSchemas;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Onnx;

namespace QuantaProbe.Gradients;

/// <summary>
/// <c>quanta gradients</c>: selects tokens (from the losses of the selecting model), then writes
/// each one's gradient sketch from the gradient model's grad.onnx to
/// <c>gradients/&lt;model&gt;/part-k</c> (samples [k·P, (k+1)·P)), atomically and resumably.
/// </summary>
public static class GradientsStage
{
    public static async Task<GradientsResult> RunAsync(GradientsOptions options, IProgress<GradientsProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var run = IngestedRun.Open(options.RunFolder);
        using var writing = RunFolderLock.Acquire(options.RunFolder, options.Shard);
        var (model, selector, folder, selectionPath, settings, identity) = Plan(options);
        var samples = await SelectionFile.TryReadAsync(selectionPath, settings);
        if (samples is null)
        {
            samples = await TokenSelector.SelectAsync(run.TokensFolder, ModelPartitions.Folder(options.RunFolder, ModelDataset.Losses, selector.Name), run.Parts, options.Selection);
            if (options.Selection.Mode == SelectionMode.File)
                await SelectionRange.CheckAsync(samples, options.RunFolder, run, options.Selection.File!);
            await SelectionFile.WriteAsync(selectionPath, samples, settings);
        }

        long parts = (samples.Count + options.SamplesPerPart - 1) / options.SamplesPerPart;
        PartFiles.DeleteStaleTemps(folder, options.Shard);
        var done = await PartFiles.CompleteMatchingAsync(folder, identity, "quanta gradients");
        var todo = Enumerable.Range(0, checked((int)parts)).Where(p => options.Shard.Owns(p) && !done.Contains(p)).ToList();
        long skipped = Enumerable.Range(0, checked((int)parts)).Count(p => options.Shard.Owns(p) && done.Contains(p));
        long scored = 0;
        if (todo.Count > 0)
        {
            var gradPath = GradientModelFile.Ensure(model, options.Gradient);
            using var runner = GradientRunner.Open(gradPath, options.Device, options.Threads);
            var metadata = Metadata(model, selector, runner, settings, options.Device);
            foreach (var (key, value) in identity)
                metadata[key] = value;
            long total = todo.Sum(p => (long)Math.Min(options.SamplesPerPart, samples.Count - p * options.SamplesPerPart));
            progress?.Report(new GradientsProgress(0, total));
            foreach (int p in todo)
            {
                cancel.ThrowIfCancellationRequested();
                int first = p * options.SamplesPerPart;
                var partSamples = samples.Skip(first).Take(options.SamplesPerPart).ToList();
                var sequences = await SampleSequences.BuildAsync(partSamples, run.TokensFolder, run.DocsPerPart);
                var rows = new GradientRow[partSamples.Count];
                foreach (var batch in LengthBatcher.Batches(sequences.Select(s => s.Length).ToArray(), options.BatchTokens))
                {
                    cancel.ThrowIfCancellationRequested();
                    var results = runner.Run(batch.Select(i => (ReadOnlyMemory<int>)sequences[i]).ToArray(), batch.Select(i => sequences[i].Length - 1).ToArray());
                    for (int j = 0; j < batch.Length; j++)
                    {
                        int i = batch[j];
                        rows[i] = new GradientRow(first + i, partSamples[i].DocId, partSamples[i].Pos, results[j].Loss, results[j].Sketch);
                    }
                    scored += batch.Length;
                    progress?.Report(new GradientsProgress(scored, total));
                }
                await GradientsPartWriter.WriteAsync(folder, p, rows, metadata);
            }
        }
        var complete = await PartFiles.CompleteMatchingAsync(folder, identity, "quanta gradients");
        return new GradientsResult(model.Name, samples.Count, todo.Count, skipped, scored, Enumerable.Range(0, checked((int)parts)).All(p => complete.Contains(p)), folder);
    }

    /// <summary>
    /// Whether every part of these options' gradients exists and was written for them (same selection,
    /// weights and gradient setting), whichever shards wrote them: what shard 0 of a run waits for.
    /// </summary>
    public static async Task<bool> IsCompleteAsync(GradientsOptions options)
    {
        var (_, _, folder, selectionPath, _, identity) = Plan(options);
        if (!File.Exists(selectionPath))
            return false;
        long parts = (await Core.Parquet.ParquetRowCount.OfAsync(selectionPath, "quanta gradients") + options.SamplesPerPart - 1) / options.SamplesPerPart;
        var complete = await PartFiles.CompleteMatchingAsync(folder, identity, "quanta gradients");
        return Enumerable.Range(0, checked((int)parts)).All(p => complete.Contains(p));
    }

    /// <summary>The models, folder, selection settings and the metadata a part must carry to count as done.</summary>
    private static (FamilyMember Model, FamilyMember Selector, string Folder, string SelectionPath, string Settings, Dictionary<string, string> Identity) Plan(GradientsOptions options)
    {
        var manifest = RunPaths.FamilyManifest(options.RunFolder);
        var family = FamilyManifest.Read(manifest);
        var model = Find(family, options.Model, manifest);
        var selector = options.SelectionModel is null ? Smallest(family) : Find(family, options.SelectionModel, manifest);
        var folder = ModelPartitions.Folder(options.RunFolder, ModelDataset.Gradients, model.Name);
        // A retrained selecting model selects other tokens: its weights are part of the selection's identity.
        string settings = $"{options.Selection} by {selector.Name}" + (ModelInfo.TryRead(selector.Path)?.WeightsSha256 is { } selectorWeights ? $" (weights {selectorWeights[..16]})" : "");
        // The gradient setting too: parts sketched with another projection (k_in, k_out, seed) or exactly are another measurement.
        var identity = new Dictionary<string, string>(GradientSetting(options.Gradient)) { [MetadataKeys.Selection] = settings };
        if (ModelInfo.TryRead(model.Path)?.WeightsSha256 is { } weights)
            identity[MetadataKeys.WeightsSha256] = weights;
        return (model, selector, folder, Path.Combine(folder, S.Gradients.SelectionFile), settings, identity);
    }

    /// <summary>
    /// Exports the gradient graph of <paramref name="modelName"/> for these options if it is missing, so
    /// that shards running in parallel find it instead of each writing it. Returns its path.
    /// </summary>
    public static string PrepareGraph(string runFolder, string modelName, GradientOptions options)
    {
        var manifest = RunPaths.FamilyManifest(runFolder);
        return GradientModelFile.Ensure(Find(FamilyManifest.Read(manifest), modelName, manifest), options);
    }

    private static FamilyMember Find(IReadOnlyList<FamilyMember> family, string name, string manifest) =>
        family.FirstOrDefault(m => m.Name == name)
        ?? throw new QuantaException($"{manifest}: no model named '{name}' (the family has {string.Join(", ", family.Select(m => m.Name))})");

    /// <summary>The family's smallest model by parameter count (model.json), its latest step: the paper's choice for selecting tokens.</summary>
    private static FamilyMember Smallest(IReadOnlyList<FamilyMember> family) =>
        family.OrderBy(m => Parameters(m)).ThenByDescending(m => m.Step ?? long.MinValue).ThenBy(m => m.Name, StringComparer.Ordinal).First();

    private static long Parameters(FamilyMember m)
    {
        return ModelInfo.TryRead(m.Path)?.Parameters ?? long.MaxValue;
    }

    /// <summary>The gradient setting as <see cref="Metadata"/> records it (from the runner, which reads it from grad.onnx).</summary>
    private static Dictionary<string, string> GradientSetting(GradientOptions g)
    {
        bool sketch = g.Mode == GradientMode.Sketch;
        return new()
        {
            [MetadataKeys.GradientMode] = g.Mode.ToString().ToLowerInvariant(),
            [MetadataKeys.SketchKIn] = sketch ? g.KIn.ToString() : "",
            [MetadataKeys.SketchKOut] = sketch ? g.KOut.ToString() : "",
            [MetadataKeys.SketchSeed] = sketch ? g.Seed.ToString() : "",
        };
    }

    private static Dictionary<string, string> Metadata(FamilyMember model, FamilyMember selector, GradientRunner runner, string selection, InferenceDevice device) => new()
    {
        [MetadataKeys.Stage] = "gradients",
        [MetadataKeys.Model] = model.Name,
        [MetadataKeys.Step] = model.Step?.ToString() ?? "",
        [MetadataKeys.SelectionModel] = selector.Name,
        [MetadataKeys.Selection] = selection,
        ["grad_kind"] = runner.GradKind,
        [MetadataKeys.GradientMode] = runner.Mode.ToString().ToLowerInvariant(),
        [MetadataKeys.GradientDim] = runner.Dimension.ToString(),
        [MetadataKeys.SketchKIn] = runner.SketchInputDim?.ToString() ?? "",
        [MetadataKeys.SketchKOut] = runner.SketchOutputDim?.ToString() ?? "",
        [MetadataKeys.SketchSeed] = runner.SketchSeed?.ToString() ?? "",
        [MetadataKeys.GradientLayout] = JsonSerializer.Serialize(runner.Layout.Select(l => new { name = l.Name, offset = l.Offset, length = l.Length, shape = l.Shape, sketch_shape = l.SketchShape })),
        [MetadataKeys.Device] = device.ToString().ToLowerInvariant(),
    };
}
