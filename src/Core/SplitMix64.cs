namespace QuantaProbe.Core;

/// <summary>
/// A SplitMix64 stream (Steele, Lea and Flood 2014), fixed here so a seed means the same draws on every .NET version
/// (System.Random's seeded algorithm is unspecified), and its finaliser <see cref="Mix"/>, which the project's seeded
/// hashes (projections, toy seeds, the context probe's keys) chain.
/// </summary>
public struct SplitMix64(ulong state)
{
    /// <summary>The stream's increment: 2⁶⁴ / φ.</summary>
    public const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Identifies this generator and its stream derivation; change it if either ever changes.</summary>
    public const string Algorithm = "splitmix64/v1";

    private ulong _state = state;

    /// <summary>Stream <paramref name="stream"/> (e.g. a document index) of <paramref name="seed"/>: independent of every other stream.</summary>
    public static SplitMix64 For(long seed, long stream) =>
        new(Mix(Mix((ulong)seed + Golden) ^ ((ulong)stream * 0xD1B54A32D192ED03UL + Golden)));

    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>SplitMix64's finaliser: a bijection of 64-bit values whose outputs look uniform.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
