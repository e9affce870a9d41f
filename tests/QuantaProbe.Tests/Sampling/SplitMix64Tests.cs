using QuantaProbe.Core;

namespace QuantaProbe.Tests.Sampling;

[Trait("tier", "fast")]
public class SplitMix64Tests
{
    [Fact]
    public void Stream_is_the_published_splitmix64()
    {
        // Vigna's splitmix64.c from state 0: the first outputs.
        var random = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void Streams_of_a_seed_are_reproducible_and_distinct()
    {
        var a = SplitMix64.For(42, 0);
        var again = SplitMix64.For(42, 0);
        var other = SplitMix64.For(42, 1);
        var otherSeed = SplitMix64.For(43, 0);
        double x = a.NextDouble();
        Assert.Equal(x, again.NextDouble());
        Assert.NotEqual(x, other.NextDouble());
        Assert.NotEqual(x, otherSeed.NextDouble());
        Assert.InRange(x, 0, 1 - 1e-17);
    }
}
