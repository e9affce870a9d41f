using QuantaProbe.Decompose.PowerLaw;
using QuantaProbe.Decompose.Qdg;
using QuantaProbe.Decompose.Scaling;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Decompose;

/// <summary>
/// The envelope slope's bootstrap interval on planted quanta: samples drawn from 200 clusters of Zipf probabilities
/// (exponent 1.2), clustered by their planted labels, the slope fitted over ranks 13–133 (the demo's k ≤ 200 scaled
/// range), where the tail clusters hold a few samples. Over many seeds the interval must cover the planted −1.2 at
/// close to its nominal 95%.
/// </summary>
[Trait("tier", "fast")]
public class QdgIntervalTests(ITestOutputHelper output)
{
    private const int Clusters = 200, First = 13, Last = 133, Seeds = 200, Resamples = 200;
    private const double Exponent = 1.2;

    [Fact]
    public void The_envelope_slope_interval_covers_the_planted_exponent_at_about_the_nominal_rate()
    {
        int samples = 2000;
        int covered = 0, coveredByPercentile = 0, holdsEstimate = 0;
        double estimateBias = 0, resampleBias = 0;
        for (int seed = 0; seed < Seeds; seed++)
        {
            var labels = new Dictionary<int, int[]> { [Clusters] = ZipfLabels(samples, seed) };
            var centred = QdgAnalysis.EnvelopeSlope(samples, labels, First, Last, Resamples, seed);
            // The same draws' plain percentile interval: what QDG reported before.
            var statistic = (int[] w) => RankFrequency.LogLogSlope(Sizes(labels[Clusters], w), First, Last);
            var percentile = Bootstrap.Percentile(samples, statistic, Resamples, seed);
            covered += centred.Low <= -Exponent && -Exponent <= centred.High ? 1 : 0;
            coveredByPercentile += percentile.Low <= -Exponent && -Exponent <= percentile.High ? 1 : 0;
            holdsEstimate += centred.Low <= centred.Value && centred.Value <= centred.High ? 1 : 0;
            estimateBias += (centred.Value + Exponent) / Seeds;
            resampleBias += ((percentile.Low + percentile.High) / 2 - centred.Value) / Seeds;
        }
        double coverage = covered / (double)Seeds, percentileCoverage = coveredByPercentile / (double)Seeds;
        output.WriteLine($"N = {samples}: coverage of -{Exponent} centred {coverage:P0}, percentile {percentileCoverage:P0}; estimate - planted {estimateBias:F3}, resampled - estimate {resampleBias:F3}");
        Assert.Equal(Seeds, holdsEstimate);
        Assert.InRange(coverage, 0.85, 1.0); // 0.89: the resamples' spread is a little narrower than the estimate's
        // The plain percentile interval inherits the resamples' bias: far below nominal here.
        Assert.InRange(percentileCoverage, 0.0, 0.75);
        Assert.InRange(estimateBias, -0.03, 0.03);
        Assert.InRange(resampleBias, -0.2, -0.06);
    }

    [Fact]
    public void The_reference_exponent_interval_holds_its_estimate_and_covers_the_planted_exponent()
    {
        const int samples = 2000, seeds = 100;
        int covered = 0, coveredByPercentile = 0, percentileHoldsEstimate = 0;
        for (int seed = 0; seed < seeds; seed++)
        {
            var labels = ZipfLabels(samples, seed);
            var centred = QdgAnalysis.ReferenceExponent(samples, labels, Clusters, Resamples, seed);
            var percentile = Bootstrap.Percentile(samples, w => TruncatedZipfMle.Exponent(Sizes(labels, w)), Resamples, seed);
            Assert.InRange(centred.Value, centred.Low, centred.High);
            Assert.Equal(centred.Value, percentile.Value);
            covered += centred.Low <= Exponent && Exponent <= centred.High ? 1 : 0;
            coveredByPercentile += percentile.Low <= Exponent && Exponent <= percentile.High ? 1 : 0;
            percentileHoldsEstimate += percentile.Low <= percentile.Value && percentile.Value <= percentile.High ? 1 : 0;
        }
        output.WriteLine($"N = {samples}, {Clusters} clusters: MLE exponent interval covers {Exponent}: centred {covered / (double)seeds:P0}, percentile {coveredByPercentile / (double)seeds:P0}; percentile holds its estimate {percentileHoldsEstimate / (double)seeds:P0}");
        Assert.InRange(covered / (double)seeds, 0.85, 1.0); // 0.92
        Assert.InRange(coveredByPercentile / (double)seeds, 0.0, 0.85); // 0.74: the resampled exponents sit beside the estimate
    }

    /// <summary>Each sample's cluster, drawn independently with probability ∝ rank^−1.2.</summary>
    private static int[] ZipfLabels(int samples, int seed)
    {
        var cumulative = new double[Clusters];
        double total = 0;
        for (int c = 0; c < Clusters; c++)
            cumulative[c] = total += Math.Pow(c + 1, -Exponent);
        var random = new Random(1000 + seed);
        var labels = new int[samples];
        for (int i = 0; i < samples; i++)
        {
            int c = Array.BinarySearch(cumulative, random.NextDouble() * total);
            labels[i] = c >= 0 ? c : ~c;
        }
        return labels;
    }

    private static int[] Sizes(int[] labels, int[] weights)
    {
        var sizes = new int[Clusters];
        for (int i = 0; i < labels.Length; i++)
            sizes[labels[i]] += weights[i];
        return sizes.Where(s => s > 0).OrderDescending().ToArray();
    }
}
