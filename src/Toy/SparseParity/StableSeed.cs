namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Seeds derived from several values, the same in every process (HashCode.Combine is randomised per
/// process, which would make a resumed run generate different data): SplitMix64 over the values.
/// </summary>
internal static class StableSeed
{
    public static int Of(params long[] values)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        foreach (long v in values)
        {
            state ^= (ulong)v;
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            state = z ^ (z >> 31);
        }
        return (int)(state & 0x7FFFFFFF);
    }
}
