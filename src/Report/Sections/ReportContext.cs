using System.Text.Json.Nodes;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Report.Figures;
using QuantaProbe.Report.Inputs;

namespace QuantaProbe.Report.Sections;

/// <summary>What every section reads and writes into: decompose's summary, the figures, the numbers table, the report's JSON.</summary>
internal sealed class ReportContext(string runFolder, ReportOptions options, DecomposeSummary decompose, string reportFolder)
{
    private TokenContexts? _contexts;

    public string RunFolder { get; } = runFolder;
    public ReportOptions Options { get; } = options;
    public DecomposeSummary Decompose { get; } = decompose;
    public FigureSet Figures { get; } = new(reportFolder);
    public NumbersTable Numbers { get; } = new();
    /// <summary>The report's summary.json: every section adds the numbers it shows under its id.</summary>
    public JsonObject Json { get; } = new();

    public TokenContexts Contexts => _contexts ??= TokenContexts.Open(RunFolder);
}
