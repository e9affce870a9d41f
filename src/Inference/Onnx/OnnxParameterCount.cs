using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Onnx;

/// <summary>
/// Parameter counts of an imported decoder: total = elements of all floating-point initializers
/// (so constant buffers an exporter stored as initializers count too); non-embedding is known only
/// when both the token embedding (a Gather on input_ids) and the head (the MatMul making logits) are found.
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
        var head = graph.Node.FirstOrDefault(n => n.Output.Contains(logitsName) && n.OpType is "MatMul" or "Gemm");
        string? embedOut = head?.Input.Skip(1).FirstOrDefault(floats.ContainsKey);
        if (embedIn is null || embedOut is null)
            return (total, null);
        long embeddings = floats[embedIn] + (embedOut == embedIn ? 0 : floats[embedOut]);
        return (total, total - embeddings);
    }
}
