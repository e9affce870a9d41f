namespace QuantaProbe.Models.Gradients;

/// <summary>
/// Where one parameter's gradient lies in a `gradient_sketch` row: [Offset, Offset+Length).
/// Shape is the parameter's HF shape ([out,in] or [out]); SketchShape what the row holds for it
/// ([k_out,k_in] or [k_out] in sketch mode, the HF shape in exact mode).
/// </summary>
public sealed record GradientParameterSlice(string Name, long Offset, long Length, long[] Shape, long[] SketchShape);
