namespace QuantaProbe.Models.Weights;

/// <summary>
/// One tensor of a checkpoint: its element type (safetensors' names: F32, F16, BF16, U8, BOOL, I64, …)
/// and its shape, whatever the file format that holds it.
/// </summary>
internal sealed record TensorInfo(string Name, string DType, long[] Shape)
{
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);

    public static string FormatShape(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
