using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Onnx;

/// <summary>
/// Parameter counts of an imported decoder: total = elements of all floating-point initializers
/// (so constant buffers an exporter stored as initializers count too); non-embedding is known only
/// when both the token embedding (a Gather on input_ids) and the head (the MatMul or Gemm making logits, through any reshapes) are found.
/// </summary>
internal static class OnnxParameterCount
{
    public static (long Total, long? NonEmbedding) Count(GraphProto graph, string logitsName)
    {
        var floats = graph.Initializer
            .Where(t => (DataType)t.DataType is DataType.Float or DataType.Float16 or DataType.Bfloat16 or DataType.Double)
            .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Dims.Aggregate(1L, (n, d) => n * d));
        long total = floats.Values.Sum();

        string? embedIn = graph.Node.FirstOrDefault(n => n.OpType == "Gather" && n.Input.Count == 2 && n.Input[1] == "input_ids" && floats.ContainsKey(n.Input[0]))?.Input[0];
        var head = Producer(graph, logitsName);
        // A head may flatten its rows around the product (Gemm is 2-D): look through shape-only nodes.
        while (head is { OpType: "Reshape" or "Identity" or "Squeeze" or "Unsqueeze" } && head.Input.Count > 0)
            head = Producer(graph, head.Input[0]);
        if (head is not { OpType: "MatMul" or "Gemm" })
            head = null;
        string? embedOut = head?.Input.Skip(1).FirstOrDefault(floats.ContainsKey);
        if (embedIn is null || embedOut is null)
            return (total, null);
        long embeddings = floats[embedIn] + (embedOut == embedIn ? 0 : floats[embedOut]);
        return (total, total - embeddings);
    }

    private static NodeProto? Producer(GraphProto graph, string output) => graph.Node.FirstOrDefault(n => n.Output.Contains(output));
}
