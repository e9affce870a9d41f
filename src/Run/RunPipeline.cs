using QuantaProbe.Core.Contracts;
using System.Diagnostics;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.Stage;
using QuantaProbe.Export;
using QuantaProbe.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Ingest;
using QuantaProbe.Report;
using QuantaProbe.Report.Stage;

namespace QuantaProbe.Run;

/// <summary>Shows one stage's progress: done, total, and a status line.</summary>
public delegate Task<string> StageProgress(string stage, Func<Action<double, double, string>, Task<string>> work);

/// <summary>What a `quanta run` did: each stage's time and one-line summary, and where the results are (null for a shard that leaves them to shard 0).</summary>
public sealed record RunResult(string RunFolder, IReadOnlyList<(string Stage, double Seconds, string Summary)> Stages, double Seconds, string? SummaryPath, string? ReportPath);

/// <summary>
/// `quanta run`: ingest → export → infer → gradients → decompose → report on one run folder from a
/// config. Every stage skips the parts that are complete, so running the same config again after a
/// crash or kill -9 resumes where it stopped and ends with the same files. A run whose input files
/// changed since it began is refused.
/// With a shard i/n, n processes (on one machine or many sharing the folder) split the data stages
/// by part and meet at barriers: shard 0 alone writes what is shared (the exported family, the
/// gradient graph, the token selection, decompose, the report), the others wait for it.
/// </summary>
public static class RunPipeline
{
    public static async Task<RunResult> RunAsync(RunConfig config, StageProgress? progress = null, Action<string>? log = null, CancellationToken cancel = default)
    {
        var flow = new Flow(config, progress ?? ((_, work) => work((_, _, _) => { })), log ?? (_ => { }), cancel);
        return await flow.RunAsync();
    }

    private sealed class Flow(RunConfig config, StageProgress progress, Action<string> log, CancellationToken cancel)
    {
        private readonly List<(string, double, string)> _stages = [];
        private readonly ShardSpec _shard = config.Shard;
        private readonly ShardBarrier _barrier = new(TimeSpan.FromHours(config.ShardWaitHours), config.ShardPoll, line => log(line));
        private RunManifest _manifest = null!;
        private bool Leader => _shard.Index == 0;
        private bool Sharded => _shard.Count > 1;
        private IReadOnlyList<string> ModelNames => config.Family.Select(m => m.ModelName).ToList();

        public async Task<RunResult> RunAsync()
        {
            var total = Stopwatch.StartNew();
            RunFolderLock.RefuseFile(config.RunFolder);
            Directory.CreateDirectory(config.RunFolder);
            using var writing = RunFolderLock.Acquire(config.RunFolder, _shard);
            _manifest = RunManifest.Open(config);
            log($"hashing inputs of {config.RunFolder}");
            var inputs = InputHashes.Compute(config, _manifest.PreviousInputs, cancel);
            if (_manifest.PreviousInputs is { } previous && InputHashes.Changed(previous, inputs).FirstOrDefault() is { } changed)
                throw new QuantaException($"{changed}: changed since this run began (run.json records another sha256); its results would mix two inputs. Start a new run folder, or delete {config.RunFolder} to redo it");
            if (_manifest.PreviousInputs is { } before && HubInputs.Moved(before, inputs) is { } moved)
                throw new QuantaException(moved);
            _manifest.SetInputs(inputs);
            _manifest.Save();

            await IngestAsync();
            await ExportAsync();
            await InferAsync();
            if (config.ContextProbe.Enabled)
                await ContextProbeAsync();
            if (config.Gradients.Enabled)
                await GradientsAsync();
            if (Sharded && !Leader)
            {
                _manifest.Finish(complete: true, total.Elapsed.TotalSeconds);
                log($"shard {_shard} done: shard 0/{_shard.Count} writes decompose and the report");
                return new RunResult(config.RunFolder, _stages, total.Elapsed.TotalSeconds, null, null);
            }
            using var whole = await WholeRunLockAsync();
            string summary = await DecomposeAsync();
            string? report = config.Report ? await ReportAsync() : null;
            _manifest.Finish(complete: true, total.Elapsed.TotalSeconds);
            return new RunResult(config.RunFolder, _stages, total.Elapsed.TotalSeconds, summary, report);
        }

        private async Task Stage(string name, Func<Action<double, double, string>, Task<string>> work)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            string summary = await progress(name, work);
            double seconds = clock.Elapsed.TotalSeconds;
            _stages.Add((name, seconds, summary));
            _manifest.StageDone(name, seconds, summary);
            log($"{name}: {summary} ({seconds:F1} s)");
        }

        private Task IngestAsync() => Stage("ingest", async report =>
        {
            var r = await IngestStage.RunAsync(new IngestOptions
            {
                Corpus = config.Corpus, Tokenizer = config.Tokenizer, RunFolder = config.RunFolder, Shard = _shard,
                ContextLength = config.ContextLength, DocumentsPerPart = config.DocumentsPerPart, CorpusOptions = config.CorpusOptions,
                Threads = config.Threads ?? Environment.ProcessorCount,
            }, new Progress<IngestProgress>(p => report(p.BytesRead, p.BytesTotal, $"{p.DocumentsSeen:N0} docs, {p.TokensWritten:N0} tokens")), cancel);
            if (!r.Complete)
                await _barrier.WaitAsync("the other shards' ingest (ingest.json)", () => File.Exists(RunPaths.IngestManifest(config.RunFolder)), cancel);
            return $"{r.Documents:N0} documents, {r.PartsWritten} parts written, {r.PartsSkipped} already complete";
        });

        private Task ExportAsync() => Stage("export", async report =>
        {
            if (!Leader)
            {
                await _barrier.WaitAsync("shard 0's export of the family", FamilyListed, cancel);
                return $"{config.Family.Count} models exported by shard 0";
            }
            int done = 0, exported = 0;
            foreach (var outcome in FamilyExport.Run(RunPaths.ModelsFolder(config.RunFolder), config.Family, _shard, force: false, cancel))
            {
                exported += outcome.Skipped ? 0 : 1;
                report(++done, config.Family.Count, outcome.Source.ModelName);
            }
            foreach (var same in Core.Family.DuplicateWeights.InFamily(RunPaths.ModelsFolder(config.RunFolder), ModelNames.ToHashSet()))
                log(same.Warning);
            string? gradientModel = config.Gradients.Enabled ? GradientModel() : null;
            if (gradientModel is not null)
                GradientsStage.PrepareGraph(config.RunFolder, gradientModel, config.Gradients.Gradient);
            return $"{config.Family.Count} models, {exported} exported, {config.Family.Count - exported} already exported"
                + (gradientModel is null ? "" : $"; gradient graph of {gradientModel} ready");
        });

        private Task InferAsync() => Stage("infer", async report =>
        {
            var r = await InferStage.RunAsync(new InferOptions
            {
                RunFolder = config.RunFolder, Models = ModelNames, Device = config.Device, Shard = _shard,
                BatchTokens = config.InferBatchTokens, Threads = config.Threads,
            }, new Progress<InferProgress>(p => report(p.TokensDone, p.TokensTotal, $"{p.Model}: {p.TokensDone:N0}/{p.TokensTotal:N0} tokens")), cancel);
            if (r.ExecutionProvider is { } provider)
                _manifest.SetDevice($"{config.Device.ToString().ToLowerInvariant()} ({provider})");
            return $"{r.Models.Count} models, {r.PartsWritten} parts written ({r.TokensScored:N0} losses), {r.PartsSkipped} already complete";
        });

        private Task ContextProbeAsync() => Stage("context_probe", async report =>
        {
            var r = await ContextProbeStage.RunAsync(new InferOptions
            {
                RunFolder = config.RunFolder, Device = config.Device, Shard = _shard, BatchTokens = config.InferBatchTokens, Threads = config.Threads,
                ContextProbe = config.ContextProbe,
            }, new Progress<InferProgress>(p => report(p.TokensDone, p.TokensTotal, $"{p.Model}: {p.TokensDone:N0}/{p.TokensTotal:N0} targets")), cancel);
            return $"{r.Model}: {r.ContextLengths.Count} context lengths, {r.PartsWritten} parts written ({r.Targets:N0} targets), {r.PartsSkipped} already complete";
        });

        private async Task GradientsAsync()
        {
            var g = config.Gradients;
            string model = GradientModel();
            string folder = ModelPartitions.Folder(config.RunFolder, ModelDataset.Gradients, model);
            await Stage("gradients", async report =>
            {
                // The selection reads every loss of the selecting model; shard 0 writes it once all shards have scored.
                if (Leader)
                    await _barrier.WaitAsync("the other shards' losses", InferComplete, cancel);
                else
                    await _barrier.WaitAsync("shard 0's token selection", () => File.Exists(Path.Combine(folder, RunSchemas.Gradients.SelectionFile)), cancel);
                var options = new GradientsOptions
                {
                    RunFolder = config.RunFolder, Model = model, SelectionModel = g.SelectionModel, Selection = g.Selection, Shard = _shard,
                    Gradient = g.Gradient, BatchTokens = g.BatchTokens, Device = config.Device, Threads = config.Threads,
                };
                var r = await GradientsStage.RunAsync(options, new Progress<GradientsProgress>(p => report(p.Done, p.Total, $"{model}: {p.Done:N0}/{p.Total:N0} gradients")), cancel);
                if (Leader && !r.Complete)
                    await _barrier.WaitAsync("the other shards' gradients", () => GradientsStage.IsCompleteAsync(options), cancel);
                return $"{r.Model}: {r.Samples:N0} selected tokens, {r.PartsWritten} parts written, {r.PartsSkipped} already complete";
            });
        }

        private async Task<string> DecomposeAsync()
        {
            string path = "";
            await Stage("decompose", async report =>
            {
                var r = await DecomposeStage.RunAsync(new DecomposeOptions
                {
                    RunFolder = config.RunFolder, Seed = config.Decompose.Seed, Resamples = config.Decompose.Resamples, Qdg = config.Decompose.Qdg,
                    Schedule = config.Decompose.Schedule, LearningOrder = config.Decompose.LearningOrder, CorpusExponents = config.Decompose.CorpusExponents,
                    Progress = line => report(0, 1, line),
                }, cancel);
                path = r.SummaryPath;
                return $"{r.TokenScalingPartsWritten} token_scaling parts written → {r.SummaryPath}";
            });
            return path;
        }

        private async Task<string> ReportAsync()
        {
            string path = "";
            await Stage("report", async report =>
            {
                var r = await ReportStage.RunAsync(new ReportOptions
                {
                    RunFolder = config.RunFolder, SimilaritySamples = config.ReportSettings.SimilaritySamples, ClustersShown = config.ReportSettings.ClustersShown,
                    Progress = report,
                }, cancel);
                path = r.IndexPath;
                return $"{r.Figures.Count} figures → {r.IndexPath}";
            });
            return path;
        }

        /// <summary>Decompose and the report read the whole run: shard 0 waits until the other shards' processes have let go of it.</summary>
        private async Task<RunFolderLock> WholeRunLockAsync()
        {
            RunFolderLock? whole = null;
            await _barrier.WaitAsync("the other shards to exit", () =>
            {
                try { whole = RunFolderLock.Acquire(config.RunFolder, ShardSpec.All); return true; }
                catch (QuantaException) when (Sharded) { return false; }
            }, cancel);
            return whole!;
        }

        private string ModelFolder(string name) => Path.Combine(RunPaths.ModelsFolder(config.RunFolder), name);

        private bool FamilyListed()
        {
            var manifest = RunPaths.FamilyManifest(config.RunFolder);
            return File.Exists(manifest) && config.Family.All(m => FamilyExport.IsExported(ModelFolder(m.ModelName), m.IsOnnxDecoder))
                && ModelNames.ToHashSet().IsSubsetOf(Core.Family.FamilyManifest.Read(manifest).Select(m => m.Name));
        }

        private bool InferComplete()
        {
            long parts = IngestedRun.Open(config.RunFolder).Parts;
            return ModelNames.All(m => PartFiles.Complete(ModelPartitions.Folder(config.RunFolder, ModelDataset.Losses, m)).Count >= parts);
        }

        /// <summary>The configured model, else the family's largest (non-embedding parameters), its latest step: the paper's choice.</summary>
        private string GradientModel() => config.Gradients.Model
            ?? FamilyModel.Load(config.RunFolder).Where(m => ModelNames.Contains(m.Name)).OrderByDescending(m => m.NonEmbeddingParameters)
                .ThenByDescending(m => m.Step ?? long.MinValue).ThenBy(m => m.Name, StringComparer.Ordinal).First().Name;
    }
}
