namespace QuantaProbe.Core;

/// <summary>
/// <c>--shard i/n</c>: this process handles the parts whose index is i modulo n. Parts are blocks
/// of consecutive doc_ids, so every shard writes exactly the part files an unsharded run would.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec All = new(0, 1);

    public bool Owns(long partIndex) => partIndex % Count == Index;

    public static ShardSpec Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return All;
        return TryParse(text, out var shard) ? shard : throw new QuantaException($"--shard {text}: expected i/n with 0 <= i < n, e.g. --shard 0/4");
    }

    public static bool TryParse(string text, out ShardSpec shard)
    {
        var parts = text.Split('/');
        bool ok = parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 0 && i < n;
        shard = ok ? new ShardSpec(int.Parse(parts[0]), int.Parse(parts[1])) : All;
        return ok;
    }

    public override string ToString() => $"{Index}/{Count}";
}
