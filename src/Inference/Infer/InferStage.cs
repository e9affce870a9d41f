using QuantaProbe.Core.Contracts;
using QuantaProbe.Core.Family;
using System.Text.Json;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Models.Runtime;
using S = QuantaProbe.Core.Parquet.RunSchemas;
using QuantaProbe.Onnx;

namespace QuantaProbe.Infer;

/// <summary>
/// <c>quanta infer</c>: every model of the family over tokens/ → <c>losses/&lt;model&gt;/part-k</c>,
/// one losses part per tokens part (same documents), each written atomically; complete parts
/// are skipped, so a killed run resumes and shards write disjoint parts.
/// </summary>
public static class InferStage
{
    public static async Task<InferResult> RunAsync(InferOptions options, IProgress<InferProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var run = IngestedRun.Open(options.RunFolder);
        using var writing = RunFolderLock.Acquire(options.RunFolder, options.Shard);
        var family = SelectModels(options);
        long written = 0, skipped = 0, scored = 0;
        bool complete = true;
        string? provider = null;
        foreach (var model in family)
        {
            var folder = ModelPartitions.Folder(options.RunFolder, ModelDataset.Losses, model.Name);
            PartFiles.DeleteStaleTemps(folder, options.Shard);
            var metadata = Metadata(model, options.Device);
            var done = await PartFiles.CompleteMatchingAsync(folder, Identity(metadata), "quanta infer");
            var todo = Enumerable.Range(0, checked((int)run.Parts)).Where(p => options.Shard.Owns(p) && !done.Contains(p)).ToList();
            skipped += Enumerable.Range(0, checked((int)run.Parts)).Count(p => options.Shard.Owns(p) && done.Contains(p));
            if (todo.Count > 0)
            {
                long total = 0;
                foreach (int p in todo)
                    total += await ParquetRowCount.OfAsync(PartFiles.PathOf(run.TokensFolder, p), "quanta ingest");
                using var runner = LossRunner.Open(model.Path, options.Device, options.Threads);
                provider = SessionFactory.ProviderOf(options.Device);
                // The warm-up batch follows the data, not the budget: no batch can hold more rows than the run has documents.
                int warmRows = (int)Math.Min(Math.Max(1, options.BatchTokens / run.ContextLength), Math.Max(1, Math.Min(run.Documents, run.DocsPerPart)));
                runner.WarmUp(warmRows, Math.Min(run.ContextLength, options.BatchTokens));
                long modelDone = 0;
                progress?.Report(new InferProgress(model.Name, 0, total));
                foreach (int p in todo)
                {
                    cancel.ThrowIfCancellationRequested();
                    var docs = await TokensPartReader.ReadAsync(PartFiles.PathOf(run.TokensFolder, p));
                    var losses = Score(runner, docs, options.BatchTokens, cancel, n =>
                        progress?.Report(new InferProgress(model.Name, modelDone += n, total)));
                    await LossesPartWriter.WriteAsync(folder, p, docs, losses, metadata);
                    written++;
                    scored += losses.Sum(l => (long)l.Loss.Length);
                }
            }
            complete &= PartFiles.Complete(folder).Count >= run.Parts
                && Enumerable.Range(0, checked((int)run.Parts)).All(p => PartFiles.Complete(folder).Contains(p));
        }
        return new InferResult(family.Select(m => m.Name).ToList(), written, skipped, scored, complete, provider);
    }

    private static IReadOnlyList<FamilyMember> SelectModels(InferOptions options)
    {
        var manifest = RunPaths.FamilyManifest(options.RunFolder);
        var family = FamilyManifest.Read(manifest);
        if (options.Models is null || options.Models.Count == 0)
            return family.Count > 0 ? family : throw new QuantaException($"{manifest}: the family has no models; add them with `quanta export`");
        return options.Models.Select(name => family.FirstOrDefault(m => m.Name == name)
            ?? throw new QuantaException($"{manifest}: no model named '{name}' (the family has {string.Join(", ", family.Select(m => m.Name))})")).ToList();
    }

    private static SequenceLosses[] Score(LossRunner runner, List<DocumentTokens> docs, int batchTokens, CancellationToken cancel, Action<long> scored)
    {
        var result = new SequenceLosses[docs.Count];
        var empty = new SequenceLosses([], []);
        Array.Fill(result, empty);
        foreach (var batch in LengthBatcher.Batches(docs.Select(d => d.TokenIds.Length).ToArray(), batchTokens))
        {
            cancel.ThrowIfCancellationRequested();
            var sequences = batch.Select(i => (ReadOnlyMemory<int>)docs[i].TokenIds).ToArray();
            var losses = runner.Run(sequences);
            for (int j = 0; j < batch.Length; j++)
                result[batch[j]] = losses[j];
            scored(losses.Sum(l => (long)l.Loss.Length + 1));
        }
        return result;
    }

    private static Dictionary<string, string> Metadata(FamilyMember model, InferenceDevice device)
    {
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Stage] = "infer",
            [MetadataKeys.Model] = model.Name,
            [MetadataKeys.Step] = model.Step?.ToString() ?? "",
            [MetadataKeys.Device] = device.ToString().ToLowerInvariant(),
        };
        var info = ModelInfo.TryRead(model.Path);
        if (info?.Parameters is long parameters)
            metadata[MetadataKeys.Parameters] = parameters.ToString();
        if (info?.NonEmbeddingParameters is long nonEmbedding)
            metadata[MetadataKeys.NonEmbeddingParameters] = nonEmbedding.ToString();
        if (info?.WeightsSha256 is { } weights)
            metadata[MetadataKeys.WeightsSha256] = weights;
        return metadata;
    }

    /// <summary>What a complete part must have been written with to count as done: the same weights.</summary>
    private static Dictionary<string, string> Identity(Dictionary<string, string> metadata) =>
        metadata.Where(m => m.Key == MetadataKeys.WeightsSha256).ToDictionary();
}
