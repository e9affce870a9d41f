using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Gradients;

/// <summary>
/// Seeded Gaussian projection matrices, a pure function of (seed, key, shape) so that any two
/// exports with the same seed hold the same projections: FNV-1a of the key mixed with the seed
/// starts a SplitMix64 stream; Box–Muller turns it into N(0,1), scaled by 1/sqrt(k).
/// </summary>
internal static class GaussianProjection
{
    /// <summary>Identifies this generator in model metadata; change it if the stream ever changes.</summary>
    public const string Algorithm = "gaussian/fnv1a64+splitmix64+box-muller/v1";

    /// <summary>A [rows, k] row-major matrix with entries N(0, 1/k).</summary>
    public static float[] Create(long seed, string key, int rows, int k)
    {
        var random = new SplitMix64(Fnv1a(key) ^ SplitMix64.Mix((ulong)seed + SplitMix64.Golden));
        double scale = 1.0 / Math.Sqrt(k);
        var result = new float[checked((long)rows * k)];
        for (long i = 0; i < result.LongLength; i += 2)
        {
            // u1 in (0,1] keeps the log finite.
            double u1 = ((random.NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));
            double u2 = (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
            double radius = Math.Sqrt(-2.0 * Math.Log(u1)) * scale;
            result[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < result.LongLength)
                result[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
        return result;
    }

    private static ulong Fnv1a(string key)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
            hash = (hash ^ b) * 0x100000001B3UL;
        return hash;
    }
}
