using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Run;

/// <summary>
/// Keeps RUN/run.json (<see cref="RunRecord"/>) for one invocation: rewritten atomically after every
/// stage, so a killed run keeps the record of what it finished.
/// </summary>
internal sealed class RunManifest
{
    public const string FileName = RunPaths.RunFile;

    private readonly string _path;
    private readonly IReadOnlyList<InvocationRecord> _earlier;
    private readonly Dictionary<string, StageRecord> _stages = new();
    private RunRecord _record;
    private InvocationRecord _invocation;

    private RunManifest(string path, RunRecord record, IReadOnlyList<InvocationRecord> earlier, InvocationRecord invocation)
    {
        (_path, _record, _earlier) = (path, record, earlier);
        _invocation = invocation with { Stages = _stages };
    }

    public JsonObject? PreviousInputs { get; private init; }

    public static RunManifest Open(RunConfig config)
    {
        // Shards run side by side: each keeps its own record; shard 0 (and an unsharded run) keeps run.json.
        string path = Path.Combine(config.RunFolder, config.Shard.Index == 0 ? FileName : $"run.shard-{config.Shard.Index}-of-{config.Shard.Count}.json");
        var previous = File.Exists(path) ? RunRecord.Read(path) : null;
        var record = new RunRecord(RunRecord.CurrentSchemaVersion, Tool(), config.ConfigPath, (JsonObject)config.Settings.DeepClone(), Device(config, previous),
            config.Shard.ToString(), Complete: false, Invocations: []);
        var invocation = new InvocationRecord(DateTime.UtcNow.ToString("O"), Environment.MachineName, new Dictionary<string, StageRecord>());
        return new RunManifest(path, record, previous?.Invocations ?? [], invocation) { PreviousInputs = previous?.Inputs };
    }

    /// <summary>The device requested, and the provider that ran (kept from the last invocation when this one scores nothing new).</summary>
    private static DeviceRecord Device(RunConfig config, RunRecord? previous)
    {
        string requested = config.Device.ToString().ToLowerInvariant();
        return new DeviceRecord(requested, previous?.Device.Requested == requested ? previous.Device.Used : null);
    }

    public void SetInputs(JsonObject inputs) => _record = _record with { Inputs = inputs };

    public void SetDevice(string used) => _record = _record with { Device = _record.Device with { Used = used } };

    public void StageDone(string stage, double seconds, string summary)
    {
        _stages[stage] = new StageRecord(Math.Round(seconds, 3), summary);
        Save();
    }

    public void Finish(bool complete, double seconds)
    {
        _invocation = _invocation with { EndedUtc = DateTime.UtcNow.ToString("O"), Seconds = Math.Round(seconds, 3) };
        _record = _record with { Complete = complete };
        Save();
    }

    public void Save() => (_record with { Invocations = [.. _earlier, _invocation] }).Write(_path);

    private static ToolRecord Tool() => new(
        "quanta",
        typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        RuntimeInformation.FrameworkDescription,
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString() ?? "unknown",
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount);
}
