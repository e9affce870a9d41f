using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>Frequency against frequency rank (log-log) with the fitted Zipf law f ∝ r^−s.</summary>
internal static class ZipfFigure
{
    public static Plot Render(string title, long[] frequencyByRank, double? exponent)
    {
        var plot = Charts.New(title, "frequency rank", "occurrences");
        Charts.LogX(plot);
        Charts.LogY(plot);
        var x = Enumerable.Range(1, frequencyByRank.Length).Select(r => Math.Log10(r)).ToArray();
        var y = frequencyByRank.Select(f => Math.Log10(f)).ToArray();
        var points = plot.Add.ScatterPoints(x, y, Colors.Black);
        points.MarkerSize = 3;
        points.LegendText = "measured";
        if (exponent is { } s && x.Length > 0)
        {
            double a = y.Zip(x, (yy, xx) => yy + s * xx).Average();
            var line = plot.Add.ScatterLine(new[] { x[0], x[^1] }, new[] { a - s * x[0], a - s * x[^1] }, Colors.Red);
            line.LineWidth = 2;
            line.LegendText = $"Zipf MLE: r^-{s:F2}";
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
