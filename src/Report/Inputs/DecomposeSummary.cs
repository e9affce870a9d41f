using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Report.Inputs;

/// <summary>
/// RUN/decompose/summary.json, the report's required input, read as its typed record (a missing or
/// mistyped field fails with one line); the sections see the record as JSON nodes, re-serialized from it.
/// </summary>
internal static class DecomposeSummaryInput
{
    public static string PathIn(string runFolder) => RunPaths.DecomposeSummary(runFolder);

    public static JsonObject Load(string runFolder) =>
        JsonSerializer.SerializeToNode(DecomposeSummary.Read(runFolder), ContractsJson.Default.DecomposeSummary)!.AsObject();
}
