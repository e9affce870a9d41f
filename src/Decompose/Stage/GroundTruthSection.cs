using QuantaProbe.Core.Contracts;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Parquet.Schema;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.GroundTruth;
using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// For runs whose documents carry their true subtask (the sparse-parity toy): per-subtask loss over the
/// family (decompose/subtask_scaling/part-00000), the order and sharpness of learning, and the measured
/// α_N beside the theory's α and the paper's value (from RUN/toy.json when present).
/// </summary>
internal static class GroundTruthSection
{
    /// <param name="order">The learning-order settings, family and series for the order test with subtasks as items.</param>
    public static async Task<GroundTruthRecord> RunAsync(string runFolder, int[] subtaskOfDocument, IReadOnlyList<FamilyModel> series,
        IReadOnlyDictionary<string, DocumentLosses> losses, SeriesFit? fit, SubtaskOrder order)
    {
        var curves = SubtaskScaling.Curves(subtaskOfDocument, series.Select(m => losses[m.Name].Sums).ToList(),
            series.Select(m => losses[m.Name].Counts).ToList(), series.Select(m => m.NonEmbeddingParameters).ToList());
        await WriteAsync(Path.Combine(RunPaths.DecomposeFolder(runFolder), RunPaths.SubtaskScaling), series, curves);

        var toy = ToyManifest(runFolder);
        return new GroundTruthRecord
        {
            Subtasks = curves.Count,
            LearnedBelowNats = SubtaskScaling.LearnedBelowNats,
            SubtasksLearnedByLargest = series.Count == 0 ? 0 : curves.Count(c => c.MeanLoss[^1] < SubtaskScaling.LearnedBelowNats),
            SpearmanFrequencyRankVsLearnedSize = series.Count >= 2 ? EstimateRecord.Finite(SubtaskScaling.OrderCorrelation(curves)) : null,
            MedianDropShare = curves.Count == 0 ? null : Median(curves.Select(c => c.DropShare)),
            MeasuredAlphaN = fit is null ? null : new MeasuredAlphaNRecord(
                EstimateRecord.Of(fit.Pure.Alpha, fit.PureAlpha.Low, fit.PureAlpha.High),
                fit.WithIrreducible is { } w ? EstimateRecord.Of(w.Alpha, fit.WithIrreducibleAlpha!.Low, fit.WithIrreducibleAlpha.High) : null),
            Theory = ToyPart(toy, "theory", ContractsJson.Default.ToyTheoryRecord, runFolder),
            Paper = ToyPart(toy, "paper", ContractsJson.Default.ToyPaperRecord, runFolder),
            BySubtask = curves.Select(c => new SubtaskLearningRecord(c.Subtask, c.FrequencyRank, c.Examples, c.LearnedAtParameters, Math.Round(c.DropShare, 4))).ToList(),
            LearningOrder = order.Correlate(subtaskOfDocument, losses),
        };
    }

    /// <summary>RUN/toy.json (written by `quanta toy`), or null.</summary>
    public static JsonNode? ToyManifest(string runFolder)
    {
        var path = Path.Combine(runFolder, RunPaths.ToyFile);
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) : null;
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: not valid JSON ({e.Message}); re-run `quanta toy` to rewrite it");
        }
    }

    /// <summary>One object of toy.json (theory, paper), typed; null where the toy did not write it.</summary>
    internal static T? ToyPart<T>(JsonNode? toy, string key, JsonTypeInfo<T> type, string runFolder) where T : class
    {
        if (toy?[key] is not JsonNode node)
            return null;
        try
        {
            return node.Deserialize(type);
        }
        catch (JsonException e)
        {
            string field = e.Path is { Length: > 2 } at ? $"{key}.{at[2..]}" : key;
            throw new QuantaException($"{Path.Combine(runFolder, RunPaths.ToyFile)}: field '{field}' is missing, null or of the wrong type; re-run `quanta toy` to rewrite it");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static async Task WriteAsync(string folder, IReadOnlyList<FamilyModel> series, IReadOnlyList<SubtaskCurve> curves)
    {
        int rows = curves.Count * series.Count;
        var subtask = new int[rows];
        var rank = new int[rows];
        var examples = new long[rows];
        var model = new string[rows];
        var parameters = new long[rows];
        var loss = new double[rows];
        int row = 0;
        foreach (var c in curves)
            for (int m = 0; m < series.Count; m++, row++)
                (subtask[row], rank[row], examples[row], model[row], parameters[row], loss[row]) = (c.Subtask, c.FrequencyRank, c.Examples, series[m].Name, series[m].NonEmbeddingParameters, c.MeanLoss[m]);
        var f = (Subtask: new DataField<int>("subtask"), Rank: new DataField<int>("frequency_rank"), Examples: new DataField<long>("examples"),
            Model: new DataField<string>("model", false), Parameters: new DataField<long>("parameters"), Loss: new DataField<double>("mean_loss"));
        PartFiles.DeleteStaleTemps(folder, ShardSpec.All);
        await using var writer = await ParquetPartWriter.CreateAsync(folder, 0, new ParquetSchema(f.Subtask, f.Rank, f.Examples, f.Model, f.Parameters, f.Loss),
            new Dictionary<string, string> { [MetadataKeys.Stage] = "decompose" });
        await writer.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(f.Subtask, (ReadOnlyMemory<int>)subtask);
            await g.WriteAsync(f.Rank, (ReadOnlyMemory<int>)rank);
            await g.WriteAsync(f.Examples, (ReadOnlyMemory<long>)examples);
            await g.WriteAsync(f.Model, model);
            await g.WriteAsync(f.Parameters, (ReadOnlyMemory<long>)parameters);
            await g.WriteAsync(f.Loss, (ReadOnlyMemory<double>)loss);
        });
        await writer.CompleteAsync();
    }
}
