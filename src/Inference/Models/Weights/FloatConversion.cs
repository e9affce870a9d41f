using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace QuantaProbe.Models.Weights;

/// <summary>Little-endian F32/F16/BF16 bytes to float32 (exact: both narrower formats embed in float32).</summary>
internal static class FloatConversion
{
    public static void ToFloat32(ReadOnlySpan<byte> bytes, string dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case "F32":
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(destination);
                break;
            case "F16":
                HalfToSingle(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Cast<float, uint>(destination));
                break;
            case "BF16":
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(bytes), MemoryMarshal.Cast<float, uint>(destination));
                break;
            default:
                throw new ArgumentException("not a float weight dtype: " + dtype, nameof(dtype));
        }
    }

    /// <summary>
    /// IEEE half bits to float32 bits, 16 at a time (TensorPrimitives' conversion runs about ten times
    /// slower, and session start converts every weight of a F16 checkpoint). Normal numbers re-bias the
    /// exponent, ±∞/NaN keep an all-ones exponent, subnormals are their mantissa × 2⁻²⁴, computed exactly
    /// from a small integer so no float32 subnormal is ever an input (flush-to-zero modes cannot touch it).
    /// </summary>
    private static void HalfToSingle(ReadOnlySpan<ushort> half, Span<uint> single)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= half.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(half.Slice(i, Vector256<ushort>.Count)));
                HalfToSingle(lower).CopyTo(single.Slice(i, Vector256<uint>.Count));
                HalfToSingle(upper).CopyTo(single.Slice(i + Vector256<uint>.Count, Vector256<uint>.Count));
            }
        }
        for (; i < half.Length; i++)
            single[i] = BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf(half[i]));
    }

    private static Vector256<uint> HalfToSingle(Vector256<uint> h)
    {
        var sign = (h & Vector256.Create(0x8000u)) << 16;
        var magnitude = h & Vector256.Create(0x7FFFu);
        var normal = (magnitude << 13) + Vector256.Create(112u << 23);
        var infinityOrNaN = normal + Vector256.Create(112u << 23);
        var subnormal = (Vector256.ConvertToSingle(magnitude.AsInt32()) * Vector256.Create(1f / (1 << 24))).AsUInt32();
        var bits = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(0x0400u)), subnormal,
            Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(0x7C00u)), infinityOrNaN, normal));
        return bits | sign;
    }

    /// <summary>bfloat16 is the upper half of a float32.</summary>
    private static void BFloat16ToSingle(ReadOnlySpan<ushort> bf16, Span<uint> single)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= bf16.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.Create(bf16.Slice(i, Vector256<ushort>.Count)));
                (lower << 16).CopyTo(single.Slice(i, Vector256<uint>.Count));
                (upper << 16).CopyTo(single.Slice(i + Vector256<uint>.Count, Vector256<uint>.Count));
            }
        }
        for (; i < bf16.Length; i++)
            single[i] = (uint)bf16[i] << 16;
    }
}
