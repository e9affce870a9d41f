using System.Runtime.InteropServices;
using QuantaProbe.Core;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Models.Runtime;
using QuantaProbe.Models.Safetensors;
using QuantaProbe.Models.Weights;

namespace QuantaProbe.Tests.Inference;

/// <summary>
/// Session start's weight path: the vectorised F16/BF16 conversion against .NET's own Half and bit
/// layout, the raw-bits non-finite check against the check on converted values, and which models
/// keep ONNX Runtime's pre-packed MatMul weights.
/// </summary>
[Trait("tier", "fast")]
public class WeightConversionTests
{
    private static readonly ushort[] AllBitPatterns = Enumerable.Range(0, 1 << 16).Select(i => (ushort)i).ToArray();

    [Fact]
    public void Every_f16_bit_pattern_converts_as_dotnet_s_half_does()
    {
        var converted = new float[AllBitPatterns.Length];
        FloatConversion.ToFloat32(MemoryMarshal.AsBytes(AllBitPatterns.AsSpan()), "F16", converted);
        for (int i = 0; i < AllBitPatterns.Length; i++)
        {
            float expected = (float)BitConverter.UInt16BitsToHalf(AllBitPatterns[i]);
            if (float.IsNaN(expected))
                Assert.True(float.IsNaN(converted[i]), $"0x{i:X4}");
            else
                Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(converted[i]));
        }
    }

    [Fact]
    public void Every_bf16_bit_pattern_is_the_upper_half_of_its_float32()
    {
        var converted = new float[AllBitPatterns.Length];
        FloatConversion.ToFloat32(MemoryMarshal.AsBytes(AllBitPatterns.AsSpan()), "BF16", converted);
        for (int i = 0; i < AllBitPatterns.Length; i++)
            Assert.Equal((uint)i << 16, BitConverter.SingleToUInt32Bits(converted[i]));
    }

    [Theory]
    [InlineData("F32", 0)]
    [InlineData("F32", 37)]
    [InlineData("F16", 16)]
    [InlineData("F16", 100)]
    [InlineData("BF16", 31)]
    [InlineData("BF16", 99)]
    public void The_raw_bits_check_refuses_what_the_converted_check_refuses_naming_the_same_element(string dtype, int at)
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var values = Enumerable.Range(0, 101).Select(i => (i - 50) * 0.25f).ToArray();
            values[at] = bad;
            byte[] bytes = Encode(values, dtype);
            var converted = new float[values.Length];
            FloatConversion.ToFloat32(bytes, dtype, converted);
            var expected = Assert.Throws<QuantaException>(() => NonFiniteCheck.Check(converted, 1000, "w.bin", "t"));
            var actual = Assert.Throws<QuantaException>(() => NonFiniteCheck.CheckRaw(bytes, dtype, 1000, "w.bin", "t"));
            Assert.Equal(expected.Message, actual.Message);
            Assert.Contains($"at element {1000 + at}", actual.Message);
        }
    }

    [Theory]
    [InlineData("F32")]
    [InlineData("F16")]
    [InlineData("BF16")]
    public void Finite_extremes_pass_the_raw_bits_check(string dtype)
    {
        // The largest finite value, the smallest subnormal and zeros of each format, in vector bodies and tails.
        ushort[] f16 = [0x7BFF, 0xFBFF, 0x0001, 0x8001, 0x0000, 0x8000];
        ushort[] bf16 = [0x7F7F, 0xFF7F, 0x0001, 0x8001, 0x0000, 0x8000];
        uint[] f32 = [0x7F7FFFFF, 0xFF7FFFFF, 0x00000001, 0x80000001, 0, 0x80000000];
        for (int length = 1; length < 70; length++)
        {
            byte[] bytes = dtype switch
            {
                "F16" => MemoryMarshal.AsBytes(Enumerable.Range(0, length).Select(i => f16[i % f16.Length]).ToArray().AsSpan()).ToArray(),
                "BF16" => MemoryMarshal.AsBytes(Enumerable.Range(0, length).Select(i => bf16[i % bf16.Length]).ToArray().AsSpan()).ToArray(),
                _ => MemoryMarshal.AsBytes(Enumerable.Range(0, length).Select(i => f32[i % f32.Length]).ToArray().AsSpan()).ToArray(),
            };
            NonFiniteCheck.CheckRaw(bytes, dtype, 0, "w.bin", "t");
        }
    }

    [Fact]
    public void The_embedded_models_and_the_fixtures_keep_converted_pre_packed_weights_and_pythia_shapes_bind_in_place()
    {
        // Pre-packed and unpacked GEMMs round differently: the demo family's losses stay as they were only where packing is kept.
        var folders = Directory.GetDirectories(Path.Combine(SharedData.RepoRoot, "models", "pythia8k"))
            .Concat(Directory.GetDirectories(Path.Combine(SharedData.Root, "fixtures"), "neox-tiny-*"));
        int checkedModels = 0;
        foreach (var folder in folders)
        {
            using var checkpoint = NeoXCheckpoint.Open(folder);
            Assert.False(WeightBinding.InPlace(checkpoint.CountParameters().Total * sizeof(float)), folder);
            checkedModels++;
        }
        Assert.True(checkedModels >= 20, $"{checkedModels} models checked");
        Assert.True(WeightBinding.InPlace(NeoXShape.Pythia70m.Float32Bytes));
        Assert.True(WeightBinding.InPlace(NeoXShape.Pythia1b.Float32Bytes));
    }

    private static byte[] Encode(float[] values, string dtype) => dtype switch
    {
        "F32" => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
        "F16" => MemoryMarshal.AsBytes(values.Select(v => BitConverter.HalfToUInt16Bits((Half)v)).ToArray().AsSpan()).ToArray(),
        _ => MemoryMarshal.AsBytes(values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray().AsSpan()).ToArray(),
    };
}
