using System.Diagnostics;
using QuantaProbe.Core;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Inference.Export;
using QuantaProbe.Inference.GradientStage;
using QuantaProbe.Inference.Infer;
using QuantaProbe.Ingest;
using QuantaProbe.Report;

namespace QuantaProbe.Run;

/// <summary>Shows one stage's progress: done, total, and a status line.</summary>
public delegate Task<string> StageProgress(string stage, Func<Action<double, double, string>, Task<string>> work);

/// <summary>What a `quanta run` did: each stage's time and one-line summary, and where the results are.</summary>
public sealed record RunResult(string RunFolder, IReadOnlyList<(string Stage, double Seconds, string Summary)> Stages, double Seconds, string SummaryPath, string? ReportPath);

/// <summary>
/// `quanta run`: ingest → export → infer → gradients → decompose → report on one run folder from a
/// config. Every stage skips the parts that are complete, so running the same config again after a
/// crash or kill -9 resumes where it stopped and ends with the same files. The folder is locked
/// for the whole run, and a run whose input files changed since it began is refused.
/// </summary>
public static class RunPipeline
{
    public static async Task<RunResult> RunAsync(RunConfig config, StageProgress? progress = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        progress ??= (_, work) => work((_, _, _) => { });
        log ??= _ => { };
        var total = Stopwatch.StartNew();
        Directory.CreateDirectory(config.RunFolder);
        using var writing = RunFolderLock.Acquire(config.RunFolder, ShardSpec.All);
        var manifest = RunManifest.Open(config);
        log($"hashing inputs of {config.RunFolder}");
        var inputs = InputHashes.Compute(config, manifest.PreviousInputs, cancel);
        if (manifest.PreviousInputs is { } previous && InputHashes.Changed(previous, inputs).FirstOrDefault() is { } changed)
            throw new QuantaException($"{changed}: changed since this run began (run.json records another sha256); its results would mix two inputs. Start a new run folder, or delete {config.RunFolder} to redo it");
        manifest.SetInputs(inputs);
        manifest.Save();

        var stages = new List<(string, double, string)>();
        async Task Stage(string name, Func<Action<double, double, string>, Task<string>> work)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            string summary = await progress(name, work);
            double seconds = clock.Elapsed.TotalSeconds;
            stages.Add((name, seconds, summary));
            manifest.StageDone(name, seconds, summary);
            log($"{name}: {summary} ({seconds:F1} s)");
        }

        await Stage("ingest", async report =>
        {
            var r = await IngestStage.RunAsync(new IngestOptions
            {
                Corpus = config.Corpus, Tokenizer = config.Tokenizer, RunFolder = config.RunFolder,
                ContextLength = config.ContextLength, DocumentsPerPart = config.DocumentsPerPart, CorpusOptions = config.CorpusOptions,
                Threads = config.Threads ?? Environment.ProcessorCount,
            }, new Progress<IngestProgress>(p => report(p.BytesRead, p.BytesTotal, $"{p.DocumentsSeen:N0} docs, {p.TokensWritten:N0} tokens")), cancel);
            return $"{r.Documents:N0} documents, {r.PartsWritten} parts written, {r.PartsSkipped} already complete";
        });

        await Stage("export", report =>
        {
            int done = 0, exported = 0;
            foreach (var outcome in FamilyExport.Run(Path.Combine(config.RunFolder, "models"), config.Family, force: false, cancel))
            {
                exported += outcome.Skipped ? 0 : 1;
                report(++done, config.Family.Count, outcome.Source.ModelName);
            }
            return Task.FromResult($"{config.Family.Count} models, {exported} exported, {config.Family.Count - exported} already exported");
        });

        await Stage("infer", async report =>
        {
            var r = await InferStage.RunAsync(new InferOptions
            {
                RunFolder = config.RunFolder, Models = config.Family.Select(m => m.ModelName).ToList(), Device = config.Device,
                BatchTokens = config.InferBatchTokens, Threads = config.Threads,
            }, new Progress<InferProgress>(p => report(p.TokensDone, p.TokensTotal, $"{p.Model}: {p.TokensDone:N0}/{p.TokensTotal:N0} tokens")), cancel);
            manifest.SetDevice(config.Device == Inference.Runtime.InferenceDevice.Cuda ? "cuda (CUDAExecutionProvider)" : "cpu (CPUExecutionProvider)");
            return $"{r.Models.Count} models, {r.PartsWritten} parts written ({r.TokensScored:N0} losses), {r.PartsSkipped} already complete";
        });

        if (config.Gradients.Enabled)
        {
            var g = config.Gradients;
            string model = g.Model ?? Largest(config.RunFolder, config.Family.Select(m => m.ModelName).ToHashSet());
            await Stage("gradients", async report =>
            {
                var r = await GradientsStage.RunAsync(new GradientsOptions
                {
                    RunFolder = config.RunFolder, Model = model, SelectionModel = g.SelectionModel, Selection = g.Selection,
                    Gradient = g.Gradient, BatchTokens = g.BatchTokens, Device = config.Device, Threads = config.Threads,
                }, new Progress<GradientsProgress>(p => report(p.Done, p.Total, $"{model}: {p.Done:N0}/{p.Total:N0} gradients")), cancel);
                return $"{r.Model}: {r.Samples:N0} selected tokens, {r.PartsWritten} parts written, {r.PartsSkipped} already complete";
            });
        }

        string? summaryPath = null;
        await Stage("decompose", async report =>
        {
            var r = await DecomposeStage.RunAsync(new DecomposeOptions
            {
                RunFolder = config.RunFolder, Seed = config.Decompose.Seed, Resamples = config.Decompose.Resamples, Qdg = config.Decompose.Qdg,
                Progress = line => report(0, 1, line),
            }, cancel);
            summaryPath = r.SummaryPath;
            return $"{r.TokenScalingPartsWritten} token_scaling parts written → {r.SummaryPath}";
        });

        string? reportPath = null;
        if (config.Report)
            await Stage("report", async report =>
            {
                var r = await ReportStage.RunAsync(new ReportOptions { RunFolder = config.RunFolder, Progress = report }, cancel);
                reportPath = r.IndexPath;
                return $"{r.Figures.Count} figures → {r.IndexPath}";
            });

        manifest.Finish(complete: true, total.Elapsed.TotalSeconds);
        return new RunResult(config.RunFolder, stages, total.Elapsed.TotalSeconds, summaryPath!, reportPath);
    }

    /// <summary>The family's largest model (non-embedding parameters), its latest step: the paper's choice for gradients.</summary>
    private static string Largest(string runFolder, IReadOnlySet<string> names) =>
        FamilyModel.Load(runFolder).Where(m => names.Contains(m.Name)).OrderByDescending(m => m.NonEmbeddingParameters).ThenByDescending(m => m.Step ?? long.MinValue).ThenBy(m => m.Name, StringComparer.Ordinal).First().Name;
}
