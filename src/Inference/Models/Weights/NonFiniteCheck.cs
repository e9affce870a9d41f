using System.Numerics;
using System.Runtime.InteropServices;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Weights;

/// <summary>Refuses weights holding NaN or ±∞ (a diverged or corrupt checkpoint), naming the file and the tensor.</summary>
internal static class NonFiniteCheck
{
    /// <param name="first">Index in the whole tensor of <paramref name="values"/>[0].</param>
    public static void Check(ReadOnlySpan<float> values, long first, string path, string name)
    {
        // One vectorised pass (NaN and ±∞ propagate to the largest magnitude); the element loop only names the culprit.
        if (values.IsEmpty || float.IsFinite(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(values)))
            return;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw Refused(path, name, values[i], first + i);
    }

    /// <summary>
    /// The same check on little-endian F32/F16/BF16 bytes, without converting them: a value is NaN or ±∞
    /// exactly when its exponent bits are all ones, so export validates a checkpoint at the speed of reading it.
    /// </summary>
    public static void CheckRaw(ReadOnlySpan<byte> bytes, string dtype, long first, string path, string name)
    {
        int index = dtype switch
        {
            "F32" => FirstAllOnes(MemoryMarshal.Cast<byte, uint>(bytes), 0x7F80_0000u),
            "F16" => FirstAllOnes(MemoryMarshal.Cast<byte, ushort>(bytes), (ushort)0x7C00),
            "BF16" => FirstAllOnes(MemoryMarshal.Cast<byte, ushort>(bytes), (ushort)0x7F80),
            _ => throw new ArgumentException("not a float weight dtype: " + dtype, nameof(dtype)),
        };
        if (index < 0)
            return;
        int size = dtype == "F32" ? 4 : 2;
        Span<float> value = stackalloc float[1];
        FloatConversion.ToFloat32(bytes.Slice(index * size, size), dtype, value);
        throw Refused(path, name, value[0], first + index);
    }

    /// <summary>The index of the first element whose <paramref name="mask"/> bits are all set, or -1.</summary>
    private static int FirstAllOnes<T>(ReadOnlySpan<T> bits, T mask) where T : unmanaged, IBinaryInteger<T>
    {
        int start = 0;
        if (Vector.IsHardwareAccelerated && bits.Length >= Vector<T>.Count)
        {
            var masks = new Vector<T>(mask);
            var vectors = MemoryMarshal.Cast<T, Vector<T>>(bits);
            while (start < vectors.Length && !Vector.EqualsAny(vectors[start] & masks, masks))
                start++;
            start *= Vector<T>.Count;
        }
        for (int i = start; i < bits.Length; i++)
            if ((bits[i] & mask) == mask)
                return i;
        return -1;
    }

    private static QuantaException Refused(string path, string name, float value, long element) =>
        new($"{path}: tensor '{name}' holds a non-finite value ({value} at element {element}); the checkpoint diverged or is corrupt, use another checkpoint.");
}
