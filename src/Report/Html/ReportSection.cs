namespace QuantaProbe.Report.Html;

/// <summary>One section of the page: its anchor, its heading, its HTML, and whether its data were there.</summary>
internal sealed record ReportSection(string Id, string Title, string Html, bool Shown);
