using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>A fitted scaling law: L = L∞ + (N_c/N)^α (L∞ = 0 for the pure power law).</summary>
internal sealed record FittedLaw(string Label, double Alpha, double Nc, double Irreducible)
{
    public double At(double x) => Irreducible + Math.Pow(Nc / x, Alpha);
}

/// <summary>Mean loss (with its bootstrap interval) against N or training step, log x, with the fitted laws.</summary>
internal static class ScalingFigure
{
    public static Plot Render(string title, string xLabel, double[] x, double[] mean, (double Low, double High)[] interval, IReadOnlyList<FittedLaw> laws)
    {
        var plot = Charts.New(title, xLabel, "mean loss (nats)");
        Charts.LogX(plot);
        var lx = Charts.Log(x);
        var bars = new ScottPlot.Plottables.ErrorBar(lx, mean, null, null,
            interval.Select((c, i) => c.High - mean[i]).ToArray(), interval.Select((c, i) => mean[i] - c.Low).ToArray())
        { Color = Colors.Black, LineWidth = 1.5f };
        plot.Add.Plottable(bars);
        var points = plot.Add.ScatterPoints(lx, mean, Colors.Black);
        points.MarkerSize = 8;
        points.LegendText = "measured (95% bootstrap CI)";
        double from = lx.Min() - 0.1, to = lx.Max() + 0.1;
        var grid = Enumerable.Range(0, 101).Select(i => from + (to - from) * i / 100).ToArray();
        for (int l = 0; l < laws.Count; l++)
        {
            var ys = grid.Select(g => laws[l].At(Math.Pow(10, g))).ToArray();
            if (ys.Any(y => !double.IsFinite(y)))
                continue;
            var line = plot.Add.ScatterLine(grid, ys, Charts.Palette(l));
            line.LineWidth = 2;
            line.LinePattern = l == 0 ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = laws[l].Label;
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
