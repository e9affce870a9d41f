using QuantaProbe.Decompose.Scaling;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class BootstrapTests
{
    [Fact]
    public void Interval_of_a_mean_covers_it_and_shrinks_with_more_items()
    {
        var random = new Random(5);
        double[] Draw(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4).ToArray();
        Estimate MeanOf(double[] x) => Bootstrap.Percentile(x.Length, c => x.Select((v, i) => v * c[i]).Sum() / c.Sum(), 500, seed: 1);

        var small = MeanOf(Draw(50));
        var large = MeanOf(Draw(5000));
        Assert.InRange(small.Value, small.Low, small.High);
        Assert.InRange(2.0, large.Low, large.High);
        Assert.True(large.High - large.Low < (small.High - small.Low) / 4);
        // Normal theory for comparison: the 95% half-width of a mean of U(0,4) is 1.96·(4/√12)/√n.
        Assert.Equal(1.96 * 4 / Math.Sqrt(12) / Math.Sqrt(5000), (large.High - large.Low) / 2, 0.01);
    }

    [Fact]
    public void Same_seed_same_interval()
    {
        double[] x = [1, 5, 2, 8, 3, 3, 9];
        double Mean(int[] c) => x.Select((v, i) => v * c[i]).Sum() / c.Sum();
        Assert.Equal(Bootstrap.Percentile(x.Length, Mean, 200, seed: 4), Bootstrap.Percentile(x.Length, Mean, 200, seed: 4));
    }
}
