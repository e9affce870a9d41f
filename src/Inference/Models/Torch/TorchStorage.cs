namespace QuantaProbe.Models.Torch;

/// <summary>A torch storage class from the allow-list: its element type (safetensors' names) and size.</summary>
internal sealed record TorchStorageType(string ClassName, string DType, int ElementSize)
{
    public static readonly IReadOnlyDictionary<string, TorchStorageType> ByClassName = new TorchStorageType[]
    {
        new("FloatStorage", "F32", 4), new("HalfStorage", "F16", 2), new("BFloat16Storage", "BF16", 2),
        new("DoubleStorage", "F64", 8), new("ByteStorage", "U8", 1), new("BoolStorage", "BOOL", 1),
        new("CharStorage", "I8", 1), new("ShortStorage", "I16", 2), new("IntStorage", "I32", 4), new("LongStorage", "I64", 8),
    }.ToDictionary(t => t.ClassName, StringComparer.Ordinal);

    public static string FromDType(string dtype) =>
        ByClassName.Values.FirstOrDefault(t => t.DType == dtype)?.ClassName ?? throw new ArgumentException("no torch storage holds " + dtype, nameof(dtype));
}

/// <summary>A storage named by data.pkl's persistent ids: the archive entry data/&lt;Key&gt; holding Numel elements.</summary>
internal sealed record TorchStorage(string Key, TorchStorageType Type, long Numel);

/// <summary>A tensor as torch.save records it: a view (element offset, shape, strides in elements) of a storage.</summary>
internal sealed record TorchTensorView(TorchStorage Storage, long Offset, long[] Shape, long[] Strides)
{
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);
}
