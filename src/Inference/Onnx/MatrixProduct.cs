using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Onnx;

/// <summary>
/// C = op(A)·op(B) for row-major float32 matrices, op = transpose where asked, through ONNX
/// Runtime's Gemm, whose CPU kernel is MLAS's blocked SGEMM: a BLAS-class product with no native
/// dependency beyond the runtime already shipped. Inputs and output are wrapped in place, never copied.
/// </summary>
public sealed class MatrixProduct : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly bool _transposeA, _transposeB;

    public MatrixProduct(bool transposeA = false, bool transposeB = false, int? intraOpThreads = null)
    {
        (_transposeA, _transposeB) = (transposeA, transposeB);
        var graph = new OnnxGraph(new GraphProto { Name = "gemm" });
        graph.Input("a", TensorProto.Types.DataType.Float, "a0", "a1");
        graph.Input("b", TensorProto.Types.DataType.Float, "b0", "b1");
        graph.Node("Gemm", ["a", "b"], "c", OnnxGraph.Attr("transA", transposeA ? 1L : 0L), OnnxGraph.Attr("transB", transposeB ? 1L : 0L));
        graph.Output("c", TensorProto.Types.DataType.Float, "m", "n");
        _session = SessionFactory.Open(OnnxModel.New(graph.Proto).ToByteArray(), InferenceDevice.Cpu, intraOpThreads, "matrix product (Gemm)");
    }

    /// <summary>C (m×n) = op(A)·op(B), with op(A) m×k and op(B) k×n.</summary>
    public void Multiply(Memory<float> a, Memory<float> b, Memory<float> c, int m, int n, int k)
    {
        if (a.Length != (long)m * k || b.Length != (long)n * k || c.Length != (long)m * n)
            throw new ArgumentException($"shapes do not agree: a holds {a.Length} (m×k = {m}×{k}), b {b.Length} (k×n = {k}×{n}), c {c.Length} (m×n)");
        if (m == 0 || n == 0)
            return;
        if (k == 0)
        {
            c.Span.Clear();
            return;
        }
        using var av = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, a, _transposeA ? [k, m] : [m, k]);
        using var bv = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, b, _transposeB ? [n, k] : [k, n]);
        using var cv = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, c, [m, n]);
        _session.Run(_runOptions, ["a", "b"], [av, bv], ["c"], [cv]);
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _session.Dispose();
    }
}
