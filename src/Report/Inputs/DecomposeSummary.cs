using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core;

namespace QuantaProbe.Report.Inputs;

/// <summary>RUN/decompose/summary.json, the report's required input.</summary>
internal static class DecomposeSummary
{
    public static string PathIn(string runFolder) => Path.Combine(runFolder, "decompose", "summary.json");

    public static JsonObject Load(string runFolder)
    {
        var path = PathIn(runFolder);
        if (!File.Exists(path))
            throw new QuantaException($"{path} is missing: run `quanta decompose --run {runFolder}` first");
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new QuantaException($"{path}: not a JSON object; re-run `quanta decompose --run {runFolder}`");
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: not valid JSON ({e.Message}); re-run `quanta decompose --run {runFolder}`");
        }
    }
}
