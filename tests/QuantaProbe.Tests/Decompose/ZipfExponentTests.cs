using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class ZipfExponentTests
{
    /// <summary>300 documents of 200 tokens drawn with P(type r) ∝ r^−1.1 over 400 types: the exponent within ±0.05, inside an interval that covers the truth.</summary>
    [Fact]
    public void Tokens_drawn_from_a_zipf_law_give_its_exponent_with_an_interval()
    {
        const int Types = 400;
        var random = new Random(4);
        var cumulative = new double[Types];
        double z = 0;
        for (int r = 0; r < Types; r++)
            cumulative[r] = z += Math.Pow(r + 1, -1.1);
        var documents = Enumerable.Range(0, 300).Select(_ =>
        {
            var counts = new int[Types];
            for (int i = 0; i < 200; i++)
            {
                int t = Array.BinarySearch(cumulative, random.NextDouble() * z);
                counts[t < 0 ? ~t : t]++;
            }
            var present = Enumerable.Range(0, Types).Where(t => counts[t] > 0).ToArray();
            return (present, present.Select(t => counts[t]).ToArray());
        }).ToList();
        var (value, low, high) = ZipfExponent.Of(documents, Types, 100, 1)!.Value;
        Assert.InRange(1.1, low, high);
        Assert.True(Math.Abs(value - 1.1) <= 0.05, $"exponent {value} [{low}, {high}]");
        Assert.True(low < value && value < high && high - low < 0.1, $"exponent {value} [{low}, {high}]");
    }
}
