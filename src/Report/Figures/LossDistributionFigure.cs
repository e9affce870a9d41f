using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>p(L) or L·p(L) per model over log-spaced loss bins (log x), one line per model, smallest model darkest.</summary>
internal static class LossDistributionFigure
{
    public static Plot Render(string title, string yLabel, IReadOnlyList<(string Model, double[] BinEdges, double[] Values)> series)
    {
        var plot = Charts.New(title, "per-token loss L (nats)", yLabel);
        Charts.LogX(plot);
        for (int m = 0; m < series.Count; m++)
        {
            var (model, edges, values) = series[m];
            int n = Math.Min(values.Length, edges.Length - 1);
            var centers = Enumerable.Range(0, n).Select(i => (Math.Log10(edges[i]) + Math.Log10(edges[i + 1])) / 2).ToArray();
            var line = plot.Add.ScatterLine(centers, values.Take(n).ToArray(), Charts.Color(m, series.Count));
            line.LineWidth = 2;
            line.LegendText = model;
        }
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
