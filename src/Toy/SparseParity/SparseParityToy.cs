using QuantaProbe.Core.Contracts;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Export;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Architectures;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>Progress of the toy: a phase ("data", "train mlp-w0032", "export") and its completion.</summary>
public readonly record struct ToyProgress(string Phase, long Done, long Total);

/// <summary>
/// What the toy wrote: the family's models, and per width the training time and final batch loss;
/// the most bits two subtasks share (more than 1 only when there are too many subtasks for the bits).
/// </summary>
public sealed record ToyResult(string RunFolder, IReadOnlyList<ToyModel> Models, bool Resumed, int LargestSharedBits);

public sealed record ToyModel(string Name, int Width, long Parameters, double TrainSeconds, double FinalTrainLoss, bool Skipped);

/// <summary>
/// <c>quanta toy sparse-parity</c>: writes the evaluation examples as an ingested run, trains one MLP per
/// width on fresh batches, saves each as a checkpoint (RUN/checkpoints/&lt;name&gt;), exports loss.onnx,
/// grad.onnx and model.json into RUN/models/&lt;name&gt; with the family manifest, and records the
/// settings and known answers in RUN/toy.json. Every step is resumable: complete checkpoints with the
/// same settings are not retrained.
/// </summary>
public static class SparseParityToy
{
    public const string ManifestName = RunPaths.ToyFile;

    public static async Task<ToyResult> RunAsync(ToyOptions options, IProgress<ToyProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var task = new SparseParityTask(options.Tasks, options.Bits, options.K, options.Alpha, options.Seed);
        Directory.CreateDirectory(options.RunFolder);
        using var writing = RunFolderLock.Acquire(options.RunFolder, ShardSpec.All);
        progress?.Report(new ToyProgress("data", 0, options.Samples));
        await ToyDataWriter.WriteAsync(options.RunFolder, task, options.Samples, options.SamplesPerPart, options.Seed, cancel);
        progress?.Report(new ToyProgress("data", options.Samples, options.Samples));

        var models = new List<ToyModel>();
        bool resumed = false;
        foreach (int width in options.Widths.Order())
        {
            cancel.ThrowIfCancellationRequested();
            string name = ToyOptions.ModelName(width);
            string checkpoint = Path.Combine(options.RunFolder, "checkpoints", name);
            var training = TrainingSettings(task, options, width);
            var earlier = options.CheckpointSteps.Select(step => (Step: step, Name: ToyOptions.ModelName(width, step), Folder: Path.Combine(options.RunFolder, "checkpoints", ToyOptions.ModelName(width, step)))).ToList();
            ToyModel model;
            if (MlpCheckpointWriter.IsComplete(checkpoint) && SameTraining(checkpoint, training, out var previous)
                && earlier.All(e => MlpCheckpointWriter.IsComplete(e.Folder) && SameTraining(e.Folder, training, out _)))
            {
                resumed = true;
                model = new ToyModel(name, width, previous.Parameters, previous.Seconds, previous.Loss, Skipped: true);
            }
            else
            {
                // An earlier checkpoint records the run's settings (its training_step says where it stopped).
                (model, var weights) = Train(task, options, width, name, progress, cancel,
                    (step, w) => MlpCheckpointWriter.Write(earlier.Single(e => e.Step == step).Folder, w, task, step, (JsonObject)training.DeepClone()));
                training["seconds"] = Math.Round(model.TrainSeconds, 2);
                training["final_train_loss"] = model.FinalTrainLoss;
                training["parameters"] = model.Parameters;
                MlpCheckpointWriter.Write(checkpoint, weights, task, options.Steps, training);
            }
            // A reused checkpoint keeps its exported graphs (and any grad-exact/ built from them).
            if (!model.Skipped || !Exported(options.RunFolder, name))
                Export(options.RunFolder, checkpoint, name);
            foreach (var e in earlier)
                if (!model.Skipped || !Exported(options.RunFolder, e.Name))
                    Export(options.RunFolder, e.Folder, e.Name);
            models.Add(model);
        }
        WriteManifest(options, task, models);
        return new ToyResult(options.RunFolder, models, resumed, task.LargestSharedBits);
    }

    /// <param name="save">Called with the weights after each of <see cref="ToyOptions.CheckpointSteps"/>.</param>
    private static (ToyModel Model, MlpWeights Weights) Train(SparseParityTask task, ToyOptions options, int width, string name, IProgress<ToyProgress>? progress,
        CancellationToken cancel, Action<int, MlpWeights> save)
    {
        var saveAt = options.CheckpointSteps.ToHashSet();
        var weights = MlpWeights.Initialize(task.InputWidth, width, new Random(StableSeed.Of(options.Seed, width, 0x1417)));
        var trainer = new MlpTrainer(task, weights, options.BatchSize, options.LearningRate, options.Threads ?? Environment.ProcessorCount);
        var random = new Random(StableSeed.Of(options.Seed, width, 0xBA7C));
        var clock = Stopwatch.StartNew();
        double recent = double.NaN;
        int every = Math.Max(1, options.Steps / 200);
        // The last 1% of steps, averaged: one batch's loss is noisy.
        int tail = Math.Max(1, options.Steps / 100);
        for (int step = 1; step <= options.Steps; step++)
        {
            double loss = trainer.Step(random);
            if (saveAt.Contains(step))
                save(step, weights);
            if (step > options.Steps - tail)
                recent = double.IsNaN(recent) ? loss / tail : recent + loss / tail;
            if (step % every == 0)
            {
                cancel.ThrowIfCancellationRequested();
                progress?.Report(new ToyProgress("train " + name, step, options.Steps));
            }
        }
        return (new ToyModel(name, width, weights.ParameterCount, clock.Elapsed.TotalSeconds, Math.Round(recent, 6), Skipped: false), weights);
    }

    private static void Export(string runFolder, string checkpoint, string name)
    {
        string modelFolder = Path.Combine(RunPaths.ModelsFolder(runFolder), name);
        var exported = ModelExporter.ExportCheckpoint(checkpoint, modelFolder, name);
        ModelExporter.ExportGradients(checkpoint, modelFolder, GradientOptions.Sketch());
        FamilyManifest.AddOrUpdate(RunPaths.FamilyManifest(runFolder), new FamilyMember(name, exported.ModelFolder, exported.Step));
    }

    private static bool Exported(string runFolder, string name)
    {
        string folder = Path.Combine(RunPaths.ModelsFolder(runFolder), name);
        string manifest = RunPaths.FamilyManifest(runFolder);
        return File.Exists(Path.Combine(folder, ModelExporter.LossOnnxFileName)) && File.Exists(Path.Combine(folder, ModelGraphExport.GradOnnxFileName))
            && File.Exists(ModelInfo.PathIn(folder))
            && File.Exists(manifest) && FamilyManifest.Read(manifest).Any(m => m.Name == name);
    }

    private static JsonObject TrainingSettings(SparseParityTask task, ToyOptions o, int width) => new()
    {
        ["task"] = task.Signature,
        ["width"] = width,
        ["steps"] = o.Steps,
        ["batch_size"] = o.BatchSize,
        ["learning_rate"] = o.LearningRate,
        ["optimizer"] = AdamOptimizer.Settings,
        ["seed"] = o.Seed,
        ["checkpoint_steps"] = new JsonArray(o.CheckpointSteps.Select(s => (JsonNode)s).ToArray()),
    };

    private static bool SameTraining(string checkpoint, JsonObject expected, out (long Parameters, double Seconds, double Loss) previous)
    {
        previous = default;
        try
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(checkpoint, "config.json")));
            if (config?["training"] is not JsonObject found)
                return false;
            foreach (var (key, value) in expected)
                if (!JsonNode.DeepEquals(found[key], value))
                    return false;
            previous = (found["parameters"]?.GetValue<long>() ?? 0, found["seconds"]?.GetValue<double>() ?? double.NaN, found["final_train_loss"]?.GetValue<double>() ?? double.NaN);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Adam at a constant rate from the first step; a step is one batch of examples, each scoring one label token.</summary>
    private static LearningRateScheduleRecord Schedule(ToyOptions o) =>
        new(AdamOptimizer.Name, WarmupSteps: 0, PeakLr: o.LearningRate, FinalLr: o.LearningRate, MinLr: 0, Decay: "constant", DecaySteps: o.Steps, TokensPerStep: o.BatchSize);

    private static void WriteManifest(ToyOptions o, SparseParityTask task, IReadOnlyList<ToyModel> models)
    {
        var json = new JsonObject
        {
            ["toy"] = "multitask sparse parity",
            ["tasks"] = o.Tasks,
            ["n_bits"] = o.Bits,
            ["k"] = o.K,
            ["alpha"] = o.Alpha,
            ["seed"] = o.Seed,
            ["samples"] = o.Samples,
            ["steps"] = o.Steps,
            ["batch_size"] = o.BatchSize,
            ["learning_rate"] = o.LearningRate,
            ["checkpoint_steps"] = new JsonArray(o.CheckpointSteps.Select(s => (JsonNode)s).ToArray()),
            // The run config's schedule record: decompose's one-third time scaling reads it when no schedule is given.
            ["schedule"] = JsonSerializer.SerializeToNode(Schedule(o), ContractsJson.Default.LearningRateScheduleRecord),
            ["subtask_probabilities"] = new JsonArray(task.Probabilities.Select(p => (JsonNode)Math.Round(p, 8)).ToArray()),
            ["subtask_bits"] = new JsonArray(task.Subsets.Select(s => (JsonNode)new JsonArray(s.Select(b => (JsonNode)b).ToArray())).ToArray()),
            ["largest_shared_bits"] = task.LargestSharedBits,
            ["theory"] = new JsonObject { ["alpha_n"] = o.Alpha, ["rank_frequency_slope"] = -(1 + o.Alpha) },
            ["paper"] = new JsonObject { ["alpha_n"] = PaperReference.AlphaN(o.Alpha), ["qdg_envelope_slope"] = PaperReference.QdgEnvelopeSlope },
            ["models"] = new JsonArray(models.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Name,
                ["width"] = m.Width,
                ["parameters"] = m.Parameters,
                ["train_seconds"] = double.IsNaN(m.TrainSeconds) ? null : m.TrainSeconds,
                ["final_train_loss"] = double.IsNaN(m.FinalTrainLoss) ? null : m.FinalTrainLoss,
            }).ToArray()),
        };
        AtomicFile.WriteAllText(Path.Combine(o.RunFolder, ManifestName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
