using QuantaProbe.Decompose.PowerLaw;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class PowerLawTests
{
    [Fact]
    public void Envelope_takes_the_largest_size_at_each_rank()
    {
        Assert.Equal([9, 5, 4, 1], RankFrequency.Envelope([[9, 3], [6, 5, 4], [2, 2, 2, 1]]));
        Assert.Equal([3, 2, 1], RankFrequency.Sizes([7, 7, 1, 7, 1, 4]));
    }

    [Fact]
    public void Log_log_slope_of_an_exact_power_law()
    {
        var sizes = Enumerable.Range(1, 200).Select(r => (int)Math.Round(1e6 * Math.Pow(r, -1.4))).ToArray();
        Assert.Equal(-1.4, RankFrequency.LogLogSlope(sizes, 1, 100), 2);
    }

    [Theory]
    [InlineData(1.4, 50)]
    [InlineData(1.1, 400)]
    public void Mle_recovers_the_exponent_of_sampled_ranks(double beta, int ranks)
    {
        var random = new Random(ranks);
        var weights = Enumerable.Range(1, ranks).Select(r => Math.Pow(r, -beta)).ToArray();
        double total = weights.Sum();
        var sizes = new int[ranks];
        for (int i = 0; i < 200_000; i++)
        {
            double u = random.NextDouble() * total;
            int r = 0;
            while (r < ranks - 1 && (u -= weights[r]) > 0)
                r++;
            sizes[r]++;
        }
        Assert.Equal(beta, TruncatedZipfMle.Exponent(sizes.OrderDescending().ToArray()), 1);
        Assert.InRange(TruncatedZipfMle.Exponent(sizes.OrderDescending().ToArray()), beta - 0.03, beta + 0.03);
    }
}
