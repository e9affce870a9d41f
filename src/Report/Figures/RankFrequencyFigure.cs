using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>Cluster size against rank for every k (log-log), the envelope, its fitted slope over the rank range and the predicted −(1+α_N).</summary>
internal static class RankFrequencyFigure
{
    /// <param name="subsample">Beside a nearest-neighbour QDG: the envelope of the dense method on a subsample, and its label.</param>
    public static Plot Render(string title, IReadOnlyDictionary<int, int[]> sizesByK, int[] envelope, double? slope, int rankFirst, int rankLast, double? predicted,
        (int[] Envelope, string Label)? subsample = null)
    {
        var plot = Charts.New(title, "rank", "cluster size (samples)");
        Charts.LogX(plot);
        Charts.LogY(plot);
        var ks = sizesByK.Keys.Order().ToArray();
        for (int i = 0; i < ks.Length; i++)
        {
            var sizes = sizesByK[ks[i]];
            var line = plot.Add.ScatterLine(Ranks(sizes.Length), Charts.Log(sizes.Select(s => (double)s)), Charts.Color(i, ks.Length).WithAlpha(0.7));
            line.LineWidth = 1;
            if (i == 0 || i == ks.Length - 1)
                line.LegendText = $"k = {ks[i]}";
        }
        if (subsample is { Envelope.Length: > 0 } sub)
        {
            var dense = plot.Add.ScatterLine(Ranks(sub.Envelope.Length), Charts.Log(sub.Envelope.Select(s => (double)s)), Colors.DarkOrange);
            dense.LineWidth = 3;
            dense.LinePattern = LinePattern.Dotted;
            dense.LegendText = sub.Label;
        }
        if (envelope.Length > 0)
        {
            var env = plot.Add.ScatterLine(Ranks(envelope.Length), Charts.Log(envelope.Select(s => (double)s)), Colors.Black);
            env.LineWidth = 3;
            env.LegendText = "envelope";
            int last = Math.Min(rankLast, envelope.Length);
            int first = Math.Min(rankFirst, last);
            // Anchor both lines where the fit is: the intercept that the fitted slope has over the rank range.
            double? intercept = slope is { } b && double.IsFinite(b) ? Intercept(envelope, first, last, b) : null;
            if (intercept is { } a)
            {
                AddLine(plot, a, slope!.Value, first, last, Colors.Red, LinePattern.Solid, $"fit {slope:F2} (ranks {first}–{last})");
                if (predicted is { } p && double.IsFinite(p))
                    AddLine(plot, Math.Log10(envelope[first - 1]) - p * Math.Log10(first), p, first, last, Colors.Blue, LinePattern.Dashed, $"predicted −(1+α_N) = {p:F2}");
            }
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    private static double[] Ranks(int n) => Enumerable.Range(1, n).Select(r => Math.Log10(r)).ToArray();

    private static double Intercept(int[] envelope, int first, int last, double slope) =>
        Enumerable.Range(first, last - first + 1).Where(r => envelope[r - 1] > 0)
            .Select(r => Math.Log10(envelope[r - 1]) - slope * Math.Log10(r)).DefaultIfEmpty(double.NaN).Average();

    private static void AddLine(Plot plot, double intercept, double slope, int first, int last, Color color, LinePattern pattern, string label)
    {
        double x0 = Math.Log10(first), x1 = Math.Log10(Math.Max(last, first + 1));
        var line = plot.Add.ScatterLine(new[] { x0, x1 }, new[] { intercept + slope * x0, intercept + slope * x1 }, color);
        line.LineWidth = 2;
        line.LinePattern = pattern;
        line.LegendText = label;
    }
}
