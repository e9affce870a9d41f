using System.Runtime.InteropServices;
using QuantaProbe.Models.Torch;
using QuantaProbe.Models.Weights;
using static QuantaProbe.Models.NeoX.NeoXWeightNames;

namespace QuantaProbe.Tests.Inference;

/// <summary>State dicts for <see cref="TorchCheckpointWriter"/>: a checkpoint's weights in their dtype, plus the buffers HF GPT-NeoX state dicts of the Pythia era carry.</summary>
internal static class TorchTestCheckpoints
{
    public static List<TorchTensorData> WithPythiaBuffers(ICheckpointWeights source, int layers, int rotaryDims, double rotaryBase, int maxPositions, string maskDType)
    {
        var tensors = source.Names.Where(n => !IsIgnoredBuffer(n)).Select(n => Tensor(n, source)).ToList();
        for (int i = 0; i < layers; i++)
        {
            var mask = new byte[maxPositions * maxPositions];
            for (int r = 0; r < maxPositions; r++)
                for (int c = 0; c <= r; c++)
                    mask[r * maxPositions + c] = 1;
            tensors.Add(new(Layer(i, "attention.bias"), maskDType, [1, 1, maxPositions, maxPositions], mask));
            tensors.Add(new(Layer(i, "attention.masked_bias"), "F32", [], BitConverter.GetBytes(-1e9f)));
            // HF: inv_freq = 1 / base^(arange(0, dim, 2) / dim), in float32.
            var invFreq = Enumerable.Range(0, rotaryDims / 2).Select(k => (float)(1.0 / Math.Pow(rotaryBase, 2.0 * k / rotaryDims))).ToArray();
            tensors.Add(new(Layer(i, "attention.rotary_emb.inv_freq"), "F32", [invFreq.Length], MemoryMarshal.AsBytes(invFreq.AsSpan()).ToArray()));
        }
        return tensors;
    }

    /// <summary>A float tensor in its own dtype (float32 holds F16 and BF16 exactly, so the narrowing is exact).</summary>
    public static TorchTensorData Tensor(string name, ICheckpointWeights source)
    {
        var info = source.Info(name);
        float[] values = source.ReadFloat32(name);
        byte[] bytes = info.DType switch
        {
            "F32" => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
            "F16" => MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()).ToArray(),
            "BF16" => MemoryMarshal.AsBytes(values.Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)).ToArray().AsSpan()).ToArray(),
            _ => throw new ArgumentException(info.DType),
        };
        return new TorchTensorData(name, info.DType, info.Shape, bytes);
    }
}
