using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;
using static QuantaProbe.Onnx.OnnxGraph;

namespace QuantaProbe.Models.Gradients;

/// <summary>
/// Turns each linear layer's per-example inputs X [B,T,in] and output gradients Δ [B,T,out] into
/// its parameters' rows of `gradient_sketch`: exact dW = Δᵀ X and db = Σ_t Δ_t, or the sketches
/// (Δ P_out)ᵀ (X P_in) and (Σ_t Δ_t) P_out, which never form dW. A module's weight and bias share
/// its P_out; projections are initializers named sketch.&lt;module&gt;.P_in / .P_out.
/// </summary>
internal sealed class LinearGradientSink(OnnxGraph g, GradientOptions options, Func<string, Func<float[]>, long[], string> addInitializer)
{
    private readonly Dictionary<string, (string Value, long[] Shape, long[] SketchShape)> _gradients = new(StringComparer.Ordinal);

    /// <summary>Adds the gradients of &lt;module&gt;.weight [out,in] and, if present, &lt;module&gt;.bias [out].</summary>
    public void Add(string module, string input, long inFeatures, string delta, long outFeatures, bool hasBias)
    {
        string weight = module + ".weight", bias = module + ".bias";
        if (options.Mode == GradientMode.Exact)
        {
            string dW = g.MatMul(g.Transpose(delta, 0, 2, 1), input);
            _gradients[weight] = (g.Reshape(dW, 0, -1), [outFeatures, inFeatures], [outFeatures, inFeatures]);
            if (hasBias)
                _gradients[bias] = (SumOverPositions(delta), [outFeatures], [outFeatures]);
            return;
        }

        string pIn = Projection(module, inputSide: true, inFeatures);
        string pOut = Projection(module, inputSide: false, outFeatures);
        string projectedInput = g.MatMul(input, pIn);
        string projectedDelta = g.MatMul(delta, pOut);
        string sketch = g.MatMul(g.Transpose(projectedDelta, 0, 2, 1), projectedInput);
        _gradients[weight] = (g.Reshape(sketch, 0, -1), [outFeatures, inFeatures], [options.KOut, options.KIn]);
        if (hasBias)
            _gradients[bias] = (SumOverPositions(projectedDelta), [outFeatures], [options.KOut]);
    }

    /// <summary>Concatenates the parameters' rows in <paramref name="order"/> into output [B,K]; returns the layout.</summary>
    public IReadOnlyList<GradientParameterSlice> Concat(IEnumerable<string> order, string output)
    {
        var layout = new List<GradientParameterSlice>();
        var parts = new List<string>();
        long offset = 0;
        foreach (var name in order)
        {
            if (!_gradients.TryGetValue(name, out var gradient))
                throw new InvalidOperationException($"no gradient was built for '{name}'");
            long length = gradient.SketchShape.Aggregate(1L, (a, b) => a * b);
            layout.Add(new GradientParameterSlice(name, offset, length, gradient.Shape, gradient.SketchShape));
            parts.Add(gradient.Value);
            offset += length;
        }
        if (layout.Count != _gradients.Count)
            throw new InvalidOperationException("gradients were built for parameters outside the requested order");
        g.Node("Concat", parts.ToArray(), output, Attr("axis", 1L));
        g.Output(output, TensorProto.Types.DataType.Float, "batch", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return layout;
    }

    private string SumOverPositions(string x) => g.Node("ReduceSum", [x, g.Int64([1L])], null, Attr("keepdims", 0L));

    private string Projection(string module, bool inputSide, long rows) =>
        addInitializer(ProjectionName(module, inputSide), () => ProjectionOf(options, module, inputSide, checked((int)rows)),
            [rows, inputSide ? options.KIn : options.KOut]);

    public static string ProjectionName(string module, bool inputSide) => $"sketch.{module}.{(inputSide ? "P_in" : "P_out")}";

    /// <summary>The projection [rows,k] stored for <paramref name="module"/>'s input (P_in) or output (P_out) side.</summary>
    public static float[] ProjectionOf(GradientOptions options, string module, bool inputSide, int rows) =>
        GaussianProjection.Create(options.Seed, module + (inputSide ? ".P_in" : ".P_out"), rows, inputSide ? options.KIn : options.KOut);
}
