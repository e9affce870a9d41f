using QuantaProbe.Core;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Seeds derived from several values, the same in every process (HashCode.Combine is randomised per
/// process, which would make a resumed run generate different data): SplitMix64 over the values.
/// </summary>
internal static class StableSeed
{
    public static int Of(params long[] values)
    {
        ulong state = SplitMix64.Golden;
        foreach (long v in values)
            state = SplitMix64.Mix((state ^ (ulong)v) + SplitMix64.Golden);
        return (int)(state & 0x7FFFFFFF);
    }
}
