using System.Runtime.InteropServices;

namespace QuantaProbe.Models.Safetensors;

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
                System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), destination);
                break;
            case "BF16":
                var raw = MemoryMarshal.Cast<byte, ushort>(bytes);
                for (int i = 0; i < raw.Length; i++)
                    destination[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                break;
            default:
                throw new ArgumentException("not a float weight dtype: " + dtype, nameof(dtype));
        }
    }
}
