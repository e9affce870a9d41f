using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Family;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Onnx;

namespace QuantaProbe.Infer;

/// <param name="ContextLengths">The grid; part k holds its k-th length.</param>
/// <param name="WindowTokens">Tokens this process ran through the model (every window's n + 1).</param>
public sealed record ContextProbeResult(string Model, IReadOnlyList<int> ContextLengths, long PartsWritten, long PartsSkipped, long Targets, long WindowTokens, bool Complete,
    string? ExecutionProvider);

/// <summary>
/// <c>quanta infer --context-probe</c>: for each context length n of the grid, the targets of <see cref="ContextTargetSampler"/>,
/// each scored by the family's best model from a window of exactly the n tokens before it (batched by n: every window has
/// n + 1 tokens, so none is padded), the loss at the target kept → context/model=&lt;m&gt;/part-k, one part per n, written
/// atomically; complete parts with the same weights and settings are skipped, shards write disjoint parts.
/// </summary>
public static class ContextProbeStage
{
    public static async Task<ContextProbeResult> RunAsync(InferOptions options, IProgress<InferProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var probe = options.ContextProbe;
        var run = IngestedRun.Open(options.RunFolder);
        using var writing = RunFolderLock.Acquire(options.RunFolder, options.Shard);
        var model = FamilyBest.Of(options.RunFolder);
        var info = ModelInfo.Read(model.Path);
        var documents = new List<DocumentTokens>();
        for (long p = 0; p < run.Parts; p++)
            documents.AddRange(await TokensPartReader.ReadAsync(PartFiles.PathOf(run.TokensFolder, p)));
        var lengths = documents.Select(d => d.TokenIds.Length).ToArray();
        var documentIds = documents.Select(d => d.DocId).ToArray();
        var grid = Grid(probe, run, lengths.DefaultIfEmpty(0).Max());

        string folder = ContextProbeFolder.Of(options.RunFolder, model.Name);
        PartFiles.DeleteStaleTemps(folder, options.Shard);
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Stage] = "infer-context-probe",
            [MetadataKeys.Model] = model.Name,
            [MetadataKeys.Step] = model.Step?.ToString() ?? "",
            [MetadataKeys.Device] = options.Device.ToString().ToLowerInvariant(),
            [MetadataKeys.WeightsSha256] = info.WeightsSha256,
            [MetadataKeys.ProbeContextLengths] = string.Join(",", grid),
            [MetadataKeys.ProbeTargets] = probe.Targets.ToString(),
            [MetadataKeys.ProbeSeed] = probe.Seed.ToString(),
        };
        string[] identity = [MetadataKeys.WeightsSha256, MetadataKeys.ProbeContextLengths, MetadataKeys.ProbeTargets, MetadataKeys.ProbeSeed];
        var done = await PartFiles.CompleteMatchingAsync(folder, identity.ToDictionary(k => k, k => metadata[k]), ContextProbePartReader.WrittenBy);
        // Parts past the grid are left from a longer one: they would read as a probe of other settings.
        foreach (long stale in PartFiles.Complete(folder).Where(k => k >= grid.Count))
            File.Delete(PartFiles.PathOf(folder, stale));
        var todo = Enumerable.Range(0, grid.Count).Where(k => options.Shard.Owns(k) && !done.Contains(k)).ToList();
        long skipped = Enumerable.Range(0, grid.Count).Count(k => options.Shard.Owns(k) && done.Contains(k));
        long written = 0, targets = 0, windowTokens = 0;
        string? provider = null;
        if (todo.Count > 0)
        {
            var plan = todo.ToDictionary(k => k, k => ContextTargetSampler.Sample(lengths, documentIds, grid[k], probe.Targets, probe.Seed));
            long total = plan.Values.Sum(t => (long)t.Length);
            using var runner = LossRunner.Open(model.Path, options.Device, options.Threads);
            provider = SessionFactory.ProviderOf(options.Device);
            progress?.Report(new InferProgress(model.Name, 0, total));
            foreach (int k in todo)
            {
                cancel.ThrowIfCancellationRequested();
                int n = grid[k];
                var rows = Score(runner, documents, n, plan[k], options.BatchTokens, cancel, scored =>
                    progress?.Report(new InferProgress(model.Name, targets += scored, total)));
                await ContextProbePartWriter.WriteAsync(folder, k, rows, new Dictionary<string, string>(metadata) { [MetadataKeys.ProbeContextLength] = n.ToString() });
                written++;
                windowTokens += (long)rows.Length * (n + 1);
            }
        }
        var complete = PartFiles.Complete(folder);
        return new ContextProbeResult(model.Name, grid, written, skipped, targets, windowTokens, Enumerable.Range(0, grid.Count).All(k => complete.Contains(k)), provider);
    }

    /// <summary>Refuses context lengths past the run's documents before any work (infer runs first: a bad flag should not wait for it).</summary>
    public static void CheckAgainstRun(InferOptions options)
    {
        options.Validate();
        Check(options.ContextProbe, IngestedRun.Open(options.RunFolder));
    }

    private static void Check(ContextProbeOptions probe, IngestedRun run)
    {
        int usable = run.ContextLength - 1;
        string why = $"goes past {usable}, the last position of a document of the run's context_length {run.ContextLength} (ingest.json)";
        if (probe.ContextLengths is { } given && given[^1] > usable)
            throw ContextProbeOptions.Settings.ContextLengths.Invalid(string.Join(",", given), why);
        if (probe.MaxContextLength is int max && max > usable)
            throw ContextProbeOptions.Settings.MaxContextLength.Invalid(max.ToString(), why);
    }

    private static IReadOnlyList<int> Grid(ContextProbeOptions probe, IngestedRun run, int longest)
    {
        Check(probe, run);
        return probe.ContextLengths ?? ContextLengthGrid.LogSpaced(Math.Max(1, Math.Min(probe.MaxContextLength ?? run.ContextLength - 1, longest - 1)));
    }

    /// <summary>Each target's loss and entropy from the window of the n tokens before it, in batches of at most <paramref name="batchTokens"/> tokens.</summary>
    private static ContextProbeTarget[] Score(LossRunner runner, List<DocumentTokens> documents, int n, ProbeTarget[] targets, int batchTokens, CancellationToken cancel, Action<int> scored)
    {
        var rows = new ContextProbeTarget[targets.Length];
        int perBatch = Math.Max(1, batchTokens / (n + 1));
        for (int first = 0; first < targets.Length; first += perBatch)
        {
            cancel.ThrowIfCancellationRequested();
            int count = Math.Min(perBatch, targets.Length - first);
            var windows = new ReadOnlyMemory<int>[count];
            for (int j = 0; j < count; j++)
            {
                var t = targets[first + j];
                windows[j] = documents[t.Document].TokenIds.AsMemory(t.Pos - n, n + 1);
            }
            var losses = runner.Run(windows);
            for (int j = 0; j < count; j++)
            {
                var t = targets[first + j];
                var l = losses[j];
                if (l.FirstPosition != 1 || l.Loss.Length != n)
                    throw new QuantaException($"{runner.ModelPath}: the loss graph scores {l.Loss.Length} position(s) from {l.FirstPosition}, not every next token; the context probe needs a causal language model");
                var doc = documents[t.Document];
                rows[first + j] = new ContextProbeTarget(n, doc.DocId, t.Pos, doc.TokenIds[t.Pos], l.Loss[n - 1], l.Entropy[n - 1]);
            }
            scored(count);
        }
        return rows;
    }
}
