using QuantaProbe.Decompose.TokenScaling;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class TokenScalingTests
{
    private static readonly TokenCurveClassifier Classifier = new([1e6, 3e6, 1e7, 3e7, 1e8]);

    [Fact]
    public void Sharp_lasting_drop_is_monogenic_at_the_right_size()
    {
        var c = Classifier.Classify([6.1f, 6.0f, 0.3f, 0.2f, 0.25f]);
        Assert.Equal(TokenCurveKind.Monogenic, c.Kind);
        Assert.Equal(2, c.DropIndex);
        Assert.True(c.Exponent > 0);
    }

    [Fact]
    public void Gradual_decline_is_polygenic_and_a_drop_that_comes_back_is_not_monogenic()
    {
        Assert.Equal(TokenCurveKind.Polygenic, Classifier.Classify([6f, 5f, 4f, 3f, 2f]).Kind);
        Assert.Equal(TokenCurveKind.Polygenic, Classifier.Classify([6f, 0.5f, 4f, 2f, 1f]).Kind);
    }

    [Fact]
    public void Unchanged_loss_is_flat_and_a_power_law_curve_gives_its_exponent()
    {
        Assert.Equal(TokenCurveKind.Flat, Classifier.Classify([3f, 3.2f, 2.9f, 3.1f, 2.5f]).Kind);
        var curve = Classifier.Parameters.Select(n => (float)Math.Pow(1e5 / n, 0.3) * 10).ToArray();
        Assert.Equal(0.3, Classifier.Classify(curve).Exponent, 4);
    }

    [Fact]
    public void Loss_distribution_integrates_to_one_and_to_the_mean_loss()
    {
        var random = new Random(2);
        var losses = Enumerable.Range(0, 100_000).Select(_ => (float)(random.NextDouble() * 8 + 0.01)).ToArray();
        var d = LossDistribution.Of(losses);
        double mass = 0, mean = 0;
        for (int b = 0; b < d.Density.Length; b++)
        {
            mass += d.Density[b] * (d.BinEdges[b + 1] - d.BinEdges[b]);
            mean += d.LossWeightedDensity[b] * (d.BinEdges[b + 1] - d.BinEdges[b]);
        }
        Assert.Equal(1.0, mass, 6);
        Assert.Equal(d.MeanLoss, mean, 1);
    }
}
