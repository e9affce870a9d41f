using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace QuantaProbe.Report.Figures;

/// <summary>What every figure shares: the font, log axes (data plotted as log10, ticks labelled as powers), a palette.</summary>
internal static class Charts
{
    private static readonly string? Font = SkiaSharp.SKFontManager.Default.MatchFamily("DejaVu Sans") is not null ? "DejaVu Sans" : null;

    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (Font is not null)
            plot.Font.Set(Font);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        return plot;
    }

    public static void LogX(Plot plot) => plot.Axes.Bottom.TickGenerator = LogTicks();

    public static void LogY(Plot plot) => plot.Axes.Left.TickGenerator = LogTicks();

    public static double Log(double x) => Math.Log10(x);

    public static double[] Log(IEnumerable<double> xs) => xs.Select(Math.Log10).ToArray();

    public static Color Color(int i, int count) =>
        count <= 1 ? Colors.C0 : new ScottPlot.Colormaps.Viridis().GetColor(0.9 * i / Math.Max(1, count - 1));

    public static Color Palette(int i) => new ScottPlot.Palettes.Category10().GetColor(i);

    private static NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = y => Power(y),
    };

    private static string Power(double log10)
    {
        double v = Math.Pow(10, log10);
        return v >= 1e3 || v < 1e-2 ? "1e" + Math.Round(log10).ToString(CultureInfo.InvariantCulture) : v.ToString("G3", CultureInfo.InvariantCulture);
    }
}
