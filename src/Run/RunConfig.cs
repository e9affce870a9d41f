using System.Text.Json.Nodes;
using QuantaProbe.Core;
using QuantaProbe.Core.Hub;
using QuantaProbe.Core.Options;
using QuantaProbe.Decompose.Laws;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Export;
using QuantaProbe.Gradients;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Infer;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Gradients.Selection;
using QuantaProbe.Ingest;
using QuantaProbe.Ingest.Corpus;
using QuantaProbe.Report;
using QuantaProbe.Onnx;

namespace QuantaProbe.Run;

/// <summary>Everything `quanta run` needs, read from a JSON or YAML config (<see cref="RunConfigReader"/>).</summary>
public sealed record RunConfig
{
    public required string ConfigPath { get; init; }
    /// <summary>The config file's settings as read, unchanged (what run.json records, so the file is read once).</summary>
    public required JsonObject Settings { get; init; }
    public required string RunFolder { get; init; }
    public required string Corpus { get; init; }
    public required string Tokenizer { get; init; }
    /// <summary>The hub snapshot the tokenizer came from, when the config named it ORG/NAME[@REVISION].</summary>
    public HubSnapshot? TokenizerHub { get; init; }
    public CorpusOptions CorpusOptions { get; init; } = new();
    public int ContextLength { get; init; } = IngestOptions.Settings.ContextLength.Default;
    public int DocumentsPerPart { get; init; } = IngestOptions.Settings.DocsPerPart.Default;
    public required IReadOnlyList<ExportSource> Family { get; init; }
    public InferenceDevice Device { get; init; } = InferenceDeviceSetting.Device.Default;
    public int? Threads { get; init; }
    public int InferBatchTokens { get; init; } = InferOptions.Settings.BatchTokens.Default;
    /// <summary>The context probe of the family's best model, after infer (the config's <c>infer.context_probe</c>).</summary>
    public ContextProbeOptions ContextProbe { get; init; } = new();
    public GradientsSettings Gradients { get; init; } = new();
    public DecomposeSettings Decompose { get; init; } = new();
    public bool Report { get; init; } = ReportOptions.Settings.Enabled.Default;
    public ReportSettings ReportSettings { get; init; } = new();
    /// <summary>This process's shard of the run; the n shards run side by side and meet at barriers (see <see cref="RunPipeline"/>).</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.All;
    /// <summary>How long a shard waits for the others at a barrier before it gives up.</summary>
    public double ShardWaitHours { get; init; } = RunConfigReader.ShardWaitHours.Default;
    public TimeSpan ShardPoll { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>The gradients stage of a run: which model, which tokens, what sketch.</summary>
public sealed record GradientsSettings
{
    /// <summary>False: the run stops after infer's losses and decompose's scaling fits (no QDG).</summary>
    public bool Enabled { get; init; } = GradientsOptions.Settings.Enabled.Default;
    /// <summary>null: the family's largest model (most non-embedding parameters, then the latest step).</summary>
    public string? Model { get; init; }
    /// <summary>null: the family's smallest model.</summary>
    public string? SelectionModel { get; init; }
    public SelectionOptions Selection { get; init; } = new();
    public GradientOptions Gradient { get; init; } = GradientOptions.Sketch();
    public int BatchTokens { get; init; } = GradientsOptions.Settings.BatchTokens.Default;
}

/// <summary>The decompose stage of a run: bootstraps and QDG clustering.</summary>
public sealed record DecomposeSettings
{
    public int Seed { get; init; }
    public int Resamples { get; init; } = QuantaProbe.Decompose.Stage.DecomposeOptions.Settings.Resamples.Default;
    public QdgOptions Qdg { get; init; } = new();
    /// <summary>The family's learning-rate schedule (the config's <c>schedule</c> object); null when absent.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    public LearningOrderOptions LearningOrder { get; init; } = new();
    public CorpusExponentOptions CorpusExponents { get; init; } = new();
}

/// <summary>The report of a run: how much of the QDG clusters it shows.</summary>
public sealed record ReportSettings
{
    public int SimilaritySamples { get; init; } = ReportOptions.Settings.SimilaritySamples.Default;
    public int ClustersShown { get; init; } = ReportOptions.Settings.Clusters.Default;
}
