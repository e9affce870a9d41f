using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>Loss curves across model sizes (log x), one line per item: example tokens, or the toy's subtasks.</summary>
internal static class CurvesFigure
{
    public static Plot Render(string title, string xLabel, double[] x, IReadOnlyList<(string Label, double[] Loss)> curves, bool legend = true)
    {
        var plot = Charts.New(title, xLabel, "loss (nats)");
        Charts.LogX(plot);
        var lx = Charts.Log(x);
        for (int c = 0; c < curves.Count; c++)
        {
            var line = plot.Add.Scatter(lx, curves[c].Loss, legend ? Charts.Palette(c) : Charts.Color(c, curves.Count));
            line.LineWidth = 2;
            line.MarkerSize = 6;
            if (legend)
                line.LegendText = curves[c].Label;
        }
        if (legend)
            plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
