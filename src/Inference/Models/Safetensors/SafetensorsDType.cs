namespace QuantaProbe.Models.Safetensors;

/// <summary>The element types the safetensors format defines, with their sizes in bytes.</summary>
internal static class SafetensorsDType
{
    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E4M3"] = 1, ["F8_E5M2"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    public static bool TryGetSize(string dtype, out int size) => Sizes.TryGetValue(dtype, out size);

    /// <summary>Only these can be read as float32 weights.</summary>
    public static bool IsFloatWeight(string dtype) => dtype is "F32" or "F16" or "BF16";
}
