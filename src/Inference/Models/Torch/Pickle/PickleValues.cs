namespace QuantaProbe.Models.Torch.Pickle;

/// <summary>A Python tuple as the pickle machine builds it.</summary>
internal sealed class PickleTuple(object?[] items)
{
    public object?[] Items { get; } = items;
}

/// <summary>A Python list.</summary>
internal sealed class PickleList
{
    public List<object?> Items { get; } = [];
}

/// <summary>A Python dict (or OrderedDict): its items in insertion order. Keys are never hashed, so a hostile pickle cannot make lookups loop.</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object?, object?>> Items { get; } = [];
}

/// <summary>Names a pickle value's kind in messages without walking it (values may be cyclic).</summary>
internal static class PickleKind
{
    public static string Of(object? value) => value switch
    {
        null => "None",
        bool => "a bool",
        long => "an int",
        double => "a float",
        string => "a str",
        PickleTuple => "a tuple",
        PickleList => "a list",
        PickleDict => "a dict",
        _ => "a " + value.GetType().Name,
    };
}
