using QuantaProbe.Decompose.GroundTruth;
using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Decompose.Laws;

/// <summary>Spearman ρ between two item attributes with a percentile-bootstrap interval over items.</summary>
public static class WeightedSpearman
{
    public static Estimate Of(IReadOnlyList<double> x, IReadOnlyList<double> y, int resamples, int seed) =>
        Bootstrap.Percentile(x.Count, w => Resampled(x, y, w), resamples, seed);

    private static double Resampled(IReadOnlyList<double> x, IReadOnlyList<double> y, int[] weights)
    {
        var rx = new List<double>(x.Count);
        var ry = new List<double>(x.Count);
        for (int i = 0; i < x.Count; i++)
            for (int k = 0; k < weights[i]; k++)
            {
                rx.Add(x[i]);
                ry.Add(y[i]);
            }
        return SpearmanCorrelation.Of(rx, ry);
    }
}
