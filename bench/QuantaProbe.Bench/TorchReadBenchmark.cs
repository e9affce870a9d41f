using System.Diagnostics;
using System.Runtime.InteropServices;
using QuantaProbe.Models.Safetensors;
using QuantaProbe.Models.Torch;
using QuantaProbe.Models.Weights;
using QuantaProbe.Models.Checkpoints;

namespace QuantaProbe.Bench;

/// <summary>
/// Reading a Pythia-70m-shaped checkpoint (vocab 50304, hidden 512, 6 layers, fp16 with uint8 mask
/// buffers, random weights) from pytorch_model.bin, against the same weights as a float32
/// model.safetensors, in the same process: open time and managed bytes allocated by opening (the
/// storages stay in the memory map), and the time to read every parameter as float32.
/// </summary>
internal static class TorchReadBenchmark
{
    private const int Vocab = 50304, Hidden = 512, Layers = 6, Intermediate = 2048, Positions = 2048, RotaryDims = 16;

    public static int Run()
    {
        var work = Directory.CreateTempSubdirectory("quanta-bench-torch-");
        try
        {
            var tensors = Pythia70mShape(new Random(70));
            string bin = Path.Combine(work.FullName, "bin", "pytorch_model.bin");
            string safetensors = Path.Combine(work.FullName, "safetensors", "model.safetensors");
            var clock = Stopwatch.StartNew();
            TorchCheckpointWriter.Write(bin, tensors);
            Console.WriteLine($"wrote {bin}: {new FileInfo(bin).Length / 1e6:N1} MB in {clock.Elapsed.TotalSeconds:F2} s");
            Float32SafetensorsWriter.Write(safetensors, tensors.Where(t => t.DType == "F16").Select(t => (t.Name, t.Shape, ToFloats(t.Data))).ToList());
            Console.WriteLine($"baseline {safetensors}: {new FileInfo(safetensors).Length / 1e6:N1} MB (the same weights, F32)");

            for (int round = 0; round < 3; round++)
            {
                var (binOpen, binAllocated, binRead, values) = Measure(Path.GetDirectoryName(bin)!);
                var (stOpen, stAllocated, stRead, _) = Measure(Path.GetDirectoryName(safetensors)!);
                Console.WriteLine($"round {round}: pytorch_model.bin open {binOpen * 1e3:F1} ms ({binAllocated / 1024.0:N0} KiB allocated), read {values / 1e6:N1} M parameters {binRead * 1e3:F0} ms ({values * 4 / binRead / 1e9:F2} GB/s of float32)"
                    + $" | model.safetensors open {stOpen * 1e3:F1} ms ({stAllocated / 1024.0:N0} KiB), read {stRead * 1e3:F0} ms | read time ratio bin/safetensors {binRead / stRead:F2}");
            }
            Console.WriteLine($"peak RSS {PeakMemory.MiB(PeakMemory.PeakRssBytes())}");
            return 0;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static (double Open, long Allocated, double Read, long Values) Measure(string folder)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        using var weights = WeightsFormats.Open(folder);
        double open = clock.Elapsed.TotalSeconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        clock.Restart();
        long values = 0;
        foreach (var name in weights.Names.Where(n => weights.Info(n).DType is "F16" or "F32"))
            values += weights.ReadFloat32(name).LongLength;
        return (open, allocated, clock.Elapsed.TotalSeconds, values);
    }

    private static List<TorchTensorData> Pythia70mShape(Random random)
    {
        var tensors = new List<TorchTensorData> { Half("gpt_neox.embed_in.weight", random, Vocab, Hidden) };
        for (int i = 0; i < Layers; i++)
        {
            string p = $"gpt_neox.layers.{i}.";
            tensors.AddRange([
                Half(p + "input_layernorm.weight", random, Hidden), Half(p + "input_layernorm.bias", random, Hidden),
                Half(p + "post_attention_layernorm.weight", random, Hidden), Half(p + "post_attention_layernorm.bias", random, Hidden),
                Half(p + "attention.query_key_value.weight", random, 3 * Hidden, Hidden), Half(p + "attention.query_key_value.bias", random, 3 * Hidden),
                Half(p + "attention.dense.weight", random, Hidden, Hidden), Half(p + "attention.dense.bias", random, Hidden),
                Half(p + "mlp.dense_h_to_4h.weight", random, Intermediate, Hidden), Half(p + "mlp.dense_h_to_4h.bias", random, Intermediate),
                Half(p + "mlp.dense_4h_to_h.weight", random, Hidden, Intermediate), Half(p + "mlp.dense_4h_to_h.bias", random, Hidden),
            ]);
            var mask = new byte[Positions * Positions];
            for (int r = 0; r < Positions; r++)
                mask.AsSpan(r * Positions, r + 1).Fill(1);
            tensors.Add(new(p + "attention.bias", "U8", [1, 1, Positions, Positions], mask));
            tensors.Add(new(p + "attention.masked_bias", "F32", [], BitConverter.GetBytes(-1e9f)));
            var invFreq = Enumerable.Range(0, RotaryDims / 2).Select(k => (float)(1.0 / Math.Pow(10000, 2.0 * k / RotaryDims))).ToArray();
            tensors.Add(new(p + "attention.rotary_emb.inv_freq", "F32", [invFreq.Length], MemoryMarshal.AsBytes(invFreq.AsSpan()).ToArray()));
        }
        tensors.AddRange([Half("gpt_neox.final_layer_norm.weight", random, Hidden), Half("gpt_neox.final_layer_norm.bias", random, Hidden), Half("embed_out.weight", random, Vocab, Hidden)]);
        return tensors;
    }

    private static TorchTensorData Half(string name, Random random, params long[] shape)
    {
        var values = new Half[shape.Aggregate(1L, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++)
            values[i] = (Half)((random.NextSingle() - 0.5f) * 0.04f);
        return new(name, "F16", shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    private static float[] ToFloats(byte[] halves) => MemoryMarshal.Cast<byte, Half>(halves).ToArray().Select(h => (float)h).ToArray();
}
