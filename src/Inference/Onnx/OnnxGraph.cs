using Google.Protobuf;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Onnx;

/// <summary>
/// Appends nodes and constants to a GraphProto, naming every new value uniquely under a prefix
/// so that nodes added to an existing graph cannot collide with its names.
/// </summary>
internal sealed class OnnxGraph(GraphProto graph, string prefix = "")
{
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private int _counter;

    public GraphProto Proto { get; } = graph;

    public string Fresh(string hint) => $"{prefix}{hint}_{_counter++}";

    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes) =>
        Nodes(op, inputs, [output ?? Fresh(op)], attributes)[0];

    public string[] Nodes(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(op + "_node") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return outputs;
    }

    /// <summary>An int64 initializer; dims null makes a scalar. Equal constants are shared.</summary>
    public string Int64(long[] values, long[]? dims = null)
    {
        dims ??= [values.Length];
        string key = "i64:" + string.Join(",", dims) + ":" + string.Join(",", values);
        if (_constants.TryGetValue(key, out var name))
            return name;
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dims);
        tensor.Int64Data.AddRange(values);
        Proto.Initializer.Add(tensor);
        return _constants[key] = tensor.Name;
    }

    public string ScalarInt64(long value) => Int64([value], []);

    /// <summary>A float32 scalar initializer (broadcasts against any shape).</summary>
    public string Float(float value)
    {
        string key = "f32:" + BitConverter.SingleToInt32Bits(value);
        if (_constants.TryGetValue(key, out var name))
            return name;
        var tensor = new TensorProto { Name = Fresh("const"), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        Proto.Initializer.Add(tensor);
        return _constants[key] = tensor.Name;
    }

    public void Input(string name, TensorProto.Types.DataType type, params string[] dims) =>
        Proto.Input.Add(ValueInfo(name, type, dims));

    public void Output(string name, TensorProto.Types.DataType type, params string[] dims) =>
        Proto.Output.Add(ValueInfo(name, type, dims));

    /// <summary>A typed value; each dim is a symbolic name, or a fixed size when it is a number.</summary>
    public static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(long.TryParse(d, out long size)
                ? new TensorShapeProto.Types.Dimension { DimValue = size }
                : new TensorShapeProto.Types.Dimension { DimParam = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Attr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}
