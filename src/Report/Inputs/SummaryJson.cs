using System.Text.Json;
using System.Text.Json.Nodes;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Report.Inputs;

/// <summary>Parts of decompose's typed summary as JSON for the report's summary.json, written exactly as decompose wrote them.</summary>
internal static class SummaryJson
{
    public static JsonNode? Of<T>(T value) => JsonSerializer.SerializeToNode(value, ContractsJson.Default.GetTypeInfo(typeof(T))!);

    /// <summary>A [low, high] pair as the numbers table takes it.</summary>
    public static (double? Low, double? High) Interval(double[] ci) => ci is [var low, var high] ? (low, high) : (null, null);
}
