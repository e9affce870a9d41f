using System.Diagnostics;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Models.NeoX;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Bench;

/// <summary>
/// The time a forward pass would take if it were only its weight GEMMs: ONNX Runtime MatMul of
/// [M,K]·[K,N] with the weight as an initializer (prepacked, as in the model), at each of the
/// model's shapes, with LossRunner's session settings, in this process.
/// </summary>
internal static class GemmRoofline
{
    /// <summary>Seconds for one batch of <paramref name="rows"/> tokens through the shape's GEMMs.</summary>
    public static double SecondsPerBatch(NeoXShape s, int rows, Action<string> log)
    {
        double Time(int k, int n, string what)
        {
            double t = MatMulSeconds(rows, k, n);
            log($"  roofline GEMM {what,-10} [{rows},{k}]·[{k},{n}]: {t * 1e3,8:F2} ms  ({2.0 * rows * k * n / t / 1e9:F1} GFLOP/s)");
            return t;
        }
        double layer = Time(s.Hidden, 3 * s.Hidden, "qkv") + Time(s.Hidden, s.Hidden, "dense")
                       + Time(s.Hidden, s.Intermediate, "mlp up") + Time(s.Intermediate, s.Hidden, "mlp down");
        return s.Layers * layer + Time(s.Hidden, s.Vocab, "unembed");
    }

    private static double MatMulSeconds(int m, int k, int n)
    {
        var random = new Random(1);
        var w = new float[(long)k * n];
        for (long i = 0; i < w.LongLength; i++)
            w[i] = random.NextSingle() - 0.5f;
        var x = new float[(long)m * k];
        for (long i = 0; i < x.LongLength; i++)
            x[i] = random.NextSingle() - 0.5f;

        var graph = new OnnxGraph(new GraphProto { Name = "gemm_roofline" });
        graph.Input("x", TensorProto.Types.DataType.Float, "m", k.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var weight = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(w.AsSpan())) };
        weight.Dims.AddRange([k, n]);
        graph.Proto.Initializer.Add(weight);
        graph.Node("MatMul", ["x", "w"], "y");
        graph.Output("y", TensorProto.Types.DataType.Float, "m", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        using var session = new InferenceSession(OnnxModel.New(graph.Proto).ToByteArray(), options);
        using var input = OrtValue.CreateTensorValueFromMemory(x, [m, k]);
        using var runOptions = new RunOptions();
        for (int i = 0; i < 2; i++)
            session.Run(runOptions, ["x"], [input], ["y"]).Dispose();
        const int Repeats = 5;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < Repeats; i++)
            session.Run(runOptions, ["x"], [input], ["y"]).Dispose();
        return clock.Elapsed.TotalSeconds / Repeats;
    }
}
