using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>A quantity against n on log-log axes, with a fitted power law y = L∞ + A·n^−e drawn over its fit range.</summary>
internal static class DecayFigure
{
    public static Plot Render(string title, string xLabel, string yLabel, double[] n, double[] y, (double First, double Last) fitRange,
        Func<double, double>? law, string lawLabel, double? floor = null)
    {
        var plot = Charts.New(title, xLabel, yLabel);
        Charts.LogX(plot);
        Charts.LogY(plot);
        var keep = Enumerable.Range(0, n.Length).Where(i => n[i] > 0 && y[i] > 0).ToArray();
        var points = plot.Add.ScatterPoints(keep.Select(i => Math.Log10(n[i])).ToArray(), keep.Select(i => Math.Log10(y[i])).ToArray(), Colors.Black);
        points.MarkerSize = 5;
        points.LegendText = "measured";
        if (law is not null)
        {
            var grid = Enumerable.Range(0, 50).Select(i => Math.Log10(fitRange.First) + (Math.Log10(fitRange.Last) - Math.Log10(fitRange.First)) * i / 49).ToArray();
            var ys = grid.Select(g => law(Math.Pow(10, g))).ToArray();
            if (ys.All(v => v > 0 && double.IsFinite(v)))
            {
                var line = plot.Add.ScatterLine(grid, ys.Select(Math.Log10).ToArray(), Colors.Red);
                line.LineWidth = 2;
                line.LegendText = lawLabel;
            }
        }
        if (floor is { } f && f > 0)
        {
            var line = plot.Add.HorizontalLine(Math.Log10(f), 1, Colors.Gray, LinePattern.Dashed);
            line.LegendText = "noise floor (shuffled tokens)";
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
