using ScottPlot;

namespace QuantaProbe.Report.Figures;

/// <summary>The similarity matrix of QDG samples ordered by cluster, with the cluster boundaries drawn.</summary>
internal static class SimilarityFigure
{
    public static Plot Render(string title, float[] matrix, int count, IReadOnlyList<int> boundaries, double min, double max)
    {
        var plot = Charts.New(title, "sample (ordered by cluster)", "sample (ordered by cluster)");
        var cells = new double[count, count];
        for (int i = 0; i < count; i++)
            for (int j = 0; j < count; j++)
                cells[i, j] = matrix[(long)i * count + j];
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(min, max);
        // Heatmap rows run downwards from the top; cells are unit squares centred on integers.
        foreach (int b in boundaries)
        {
            plot.Add.VerticalLine(b - 0.5, 1, Colors.White.WithAlpha(0.6));
            plot.Add.HorizontalLine(count - b - 0.5, 1, Colors.White.WithAlpha(0.6));
        }
        plot.Add.ColorBar(heatmap);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true, LabelFormatter = y => (count - 1 - Math.Round(y)).ToString("0") };
        plot.Axes.SetLimits(-0.5, count - 0.5, -0.5, count - 0.5);
        return plot;
    }
}
