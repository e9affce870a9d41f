using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Onnx;

/// <summary>The model envelope every graph this project writes shares: producer, IR version and opset.</summary>
internal static class OnnxModel
{
    public const int Opset = 17;

    /// <summary>Model metadata: the vocabulary size of the logits the graph computes.</summary>
    public const string VocabSizeKey = "vocab_size";

    /// <summary>Model metadata: padding up to a multiple of this length is safe (no position limit).</summary>
    public const string PadToMultipleKey = "quantaprobe.pad_to_multiple";

    /// <summary>Model metadata: the model scores only the token at this position (a classifier's label).</summary>
    public const string ScoredPositionKey = "quantaprobe.scored_position";

    /// <summary>A model around <paramref name="graph"/> with this project's producer, IR version and opset.</summary>
    public static ModelProto New(GraphProto graph)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "QuantaProbe",
            ProducerVersion = typeof(OnnxModel).Assembly.GetName().Version?.ToString() ?? "",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }
}
