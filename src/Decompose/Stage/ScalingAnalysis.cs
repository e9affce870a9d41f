using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Decompose.Stage;

/// <summary>A scaling-law fit of mean loss over a series of models, with bootstrap intervals over documents.</summary>
public sealed record SeriesFit(string Variable, string[] Models, double[] X, double[] MeanLoss, Estimate[] MeanLossInterval,
    ScalingFit Pure, Estimate PureAlpha, ScalingFit? WithIrreducible, Estimate? WithIrreducibleAlpha);

internal static class ScalingAnalysis
{
    public static SeriesFit Fit(string variable, IReadOnlyList<string> models, double[] x, IReadOnlyList<DocumentLosses> losses, int resamples, int seed)
    {
        int documents = losses[0].Sums.Length;
        var means = losses.Select(l => l.Mean()).ToArray();
        var intervals = losses.Select((l, i) => Bootstrap.Percentile(documents, w => l.Mean(w), resamples, seed + i)).ToArray();
        var pure = ScalingLawFitter.FitPure(x, means);
        var pureAlpha = Bootstrap.Percentile(documents, w => ScalingLawFitter.FitPure(x, losses.Select(l => l.Mean(w)).ToArray()).Alpha, resamples, seed);
        ScalingFit? offset = null;
        Estimate? offsetAlpha = null;
        if (x.Length >= 3)
        {
            offset = ScalingLawFitter.FitWithIrreducible(x, means);
            offsetAlpha = Bootstrap.Percentile(documents, w => TryAlpha(x, losses.Select(l => l.Mean(w)).ToArray()), Math.Min(resamples, 200), seed);
        }
        return new SeriesFit(variable, models.ToArray(), x, means, intervals, pure, pureAlpha, offset, offsetAlpha);
    }

    private static double TryAlpha(double[] x, double[] means)
    {
        try { return ScalingLawFitter.FitWithIrreducible(x, means).Alpha; }
        catch (InvalidOperationException) { return double.NaN; }
    }
}
