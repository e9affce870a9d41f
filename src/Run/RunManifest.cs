using QuantaProbe.Core.Contracts;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;

namespace QuantaProbe.Run;

/// <summary>
/// RUN/run.json: the config, tool and runtime versions, input hashes, the device, and each
/// invocation's stage timings. Rewritten atomically after every stage, so a killed run keeps the
/// record of what it finished.
/// </summary>
internal sealed class RunManifest
{
    public const string FileName = RunPaths.RunFile;

    private readonly string _path;
    private readonly JsonObject _root;
    private readonly JsonObject _invocation;
    private readonly JsonObject _stages = new();

    private RunManifest(string path, JsonObject root, JsonObject invocation)
    {
        (_path, _root, _invocation) = (path, root, invocation);
        _invocation["stages"] = _stages;
    }

    public JsonObject? PreviousInputs { get; private init; }

    public static RunManifest Open(RunConfig config)
    {
        // Shards run side by side: each keeps its own record; shard 0 (and an unsharded run) keeps run.json.
        string path = Path.Combine(config.RunFolder, config.Shard.Index == 0 ? FileName : $"run.shard-{config.Shard.Index}-of-{config.Shard.Count}.json");
        JsonObject? previous = null;
        if (File.Exists(path))
        {
            try { previous = JsonNode.Parse(File.ReadAllText(path)) as JsonObject; }
            catch (JsonException) { previous = null; } // written atomically, so only a hand edit breaks it: start a fresh record
        }
        var root = new JsonObject
        {
            ["tool"] = Tool(),
            ["config_path"] = config.ConfigPath,
            ["config"] = config.Settings.DeepClone(),
            ["device"] = Device(config, previous),
            ["shard"] = config.Shard.ToString(),
            ["complete"] = false,
        };
        var invocations = previous?["invocations"] is JsonArray old ? (JsonArray)old.DeepClone() : new JsonArray();
        var invocation = new JsonObject { ["started_utc"] = DateTime.UtcNow.ToString("O"), ["host"] = Environment.MachineName };
        invocations.Add(invocation);
        root["invocations"] = invocations;
        return new RunManifest(path, root, invocation) { PreviousInputs = previous?["inputs"] as JsonObject };
    }

    /// <summary>The device requested, and the provider that ran (kept from the last invocation when this one scores nothing new).</summary>
    private static JsonObject Device(RunConfig config, JsonObject? previous)
    {
        string requested = config.Device.ToString().ToLowerInvariant();
        var device = new JsonObject { ["requested"] = requested };
        if (previous?["device"] is JsonObject old && old["requested"]?.GetValue<string>() == requested && old["used"] is JsonNode used)
            device["used"] = used.DeepClone();
        return device;
    }

    public void SetInputs(JsonObject inputs) => _root["inputs"] = inputs;

    public void SetDevice(string used) => _root["device"]!["used"] = used;

    public void StageDone(string stage, double seconds, string summary)
    {
        _stages[stage] = new JsonObject { ["seconds"] = Math.Round(seconds, 3), ["summary"] = summary };
        Save();
    }

    public void Finish(bool complete, double seconds)
    {
        _invocation["ended_utc"] = DateTime.UtcNow.ToString("O");
        _invocation["seconds"] = Math.Round(seconds, 3);
        _root["complete"] = complete;
        Save();
    }

    public void Save() =>
        AtomicFile.WriteAllText(_path, _root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");

    private static JsonObject Tool() => new()
    {
        ["name"] = "quanta",
        ["version"] = typeof(RunManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["onnxruntime"] = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["os"] = RuntimeInformation.OSDescription,
        ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
        ["processors"] = Environment.ProcessorCount,
    };
}
