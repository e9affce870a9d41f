using QuantaProbe.Core;
using QuantaProbe.Onnx.Proto;
using DataType = QuantaProbe.Onnx.Proto.TensorProto.Types.DataType;

namespace QuantaProbe.Onnx;

/// <summary>
/// Turns an existing decoder graph with a `logits` output [B,T,V] (Optimum's layout: inputs
/// input_ids and attention_mask, optionally position_ids) into a loss graph: the loss head is
/// appended, and token_loss/token_entropy replace all previous outputs.
/// </summary>
internal static class LogitsGraphAdapter
{
    public const string Logits = "logits";
    private const string PositionIds = "position_ids";
    private const string Prefix = "quantaprobe_loss/";

    public static void AddLossHead(ModelProto model, string sourcePath)
    {
        var graph = model.Graph ?? throw Bad(sourcePath, "the file holds no graph");
        long opset = model.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(0).Max();
        if (opset < 13)
            throw Bad(sourcePath, $"the default opset is {opset}; re-export the decoder with opset 13 or newer");

        var logits = graph.Output.FirstOrDefault(o => o.Name == Logits)
            ?? throw Bad(sourcePath, "the graph has no 'logits' output; export the decoder with Optimum's text-generation task");
        var g = new OnnxGraph(graph, Prefix);

        CheckInputs(graph, sourcePath);
        if (graph.Input.All(i => i.Name != LossHead.AttentionMask))
        {
            // Causal attention never looks right, so right padding cannot change a decoder without a mask input;
            // the loss head alone needs the mask.
            g.Input(LossHead.AttentionMask, DataType.Int64, "batch", "sequence");
        }
        var positionInput = graph.Input.FirstOrDefault(i => i.Name == PositionIds);
        if (positionInput is not null)
        {
            graph.Input.Remove(positionInput);
            ComputePositionIds(g);
        }

        string floatLogits = (DataType)logits.Type.TensorType.ElemType switch
        {
            DataType.Float => Logits,
            DataType.Float16 or DataType.Bfloat16 or DataType.Double => g.Cast(Logits, DataType.Float),
            var other => throw Bad(sourcePath, $"'logits' has element type {other}, expected a floating-point type"),
        };
        int vocab = logits.Type.TensorType.Shape?.Dim.Count == 3 && logits.Type.TensorType.Shape.Dim[2].HasDimValue
            ? (int)logits.Type.TensorType.Shape.Dim[2].DimValue : 0;

        graph.Output.Clear();
        LossHead.Append(g, g.Slice(floatLogits, axis: 1, start: 0, end: -1));
        if (vocab > 0 && model.MetadataProps.All(p => p.Key != OnnxModel.VocabSizeKey))
            model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxModel.VocabSizeKey, Value = vocab.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static void CheckInputs(GraphProto graph, string sourcePath)
    {
        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.All(i => i.Name != LossHead.InputIds))
            throw Bad(sourcePath, "the graph has no 'input_ids' input");
        foreach (var input in inputs)
        {
            if (input.Name is LossHead.InputIds or LossHead.AttentionMask or PositionIds)
            {
                if (input.Type?.TensorType?.ElemType != (int)DataType.Int64)
                    throw Bad(sourcePath, $"input '{input.Name}' must be int64");
                continue;
            }
            throw Bad(sourcePath, $"unexpected input '{input.Name}' (a past-key-values export?); export the decoder without past key values");
        }
    }

    /// <summary>position_ids = [0..T-1] for every row, which is what right padding implies.</summary>
    private static void ComputePositionIds(OnnxGraph g)
    {
        int before = g.Proto.Node.Count;
        string shape = g.Node("Shape", [LossHead.InputIds]);
        string length = g.Node("Gather", [shape, g.ScalarInt64(1)]);
        string range = g.Node("Range", [g.ScalarInt64(0), length, g.ScalarInt64(1)]);
        g.Node("Expand", [g.Unsqueeze(range, 0), shape], PositionIds);
        // Nodes must stay topologically sorted: move the new nodes (appended last) to the front.
        var added = g.Proto.Node.Skip(before).ToList();
        foreach (var node in added)
            g.Proto.Node.Remove(node);
        for (int i = 0; i < added.Count; i++)
            g.Proto.Node.Insert(i, added[i]);
    }

    private static QuantaException Bad(string path, string what) => new($"{path}: cannot add the loss head: {what}.");
}
