namespace QuantaProbe.Infer;

/// <summary>The context probe's default context lengths: 1, 2, 3, 4, 6, 8, 11, 16, 23, 32, … (round(2^(k/2))), ending at the maximum.</summary>
public static class ContextLengthGrid
{
    public static IReadOnlyList<int> LogSpaced(int max)
    {
        if (max < 1)
            throw new ArgumentOutOfRangeException(nameof(max), max, "at least 1");
        var grid = new SortedSet<int>();
        for (int k = 0; ; k++)
        {
            int n = (int)Math.Round(Math.Pow(2, k / 2.0));
            if (n >= max)
                break;
            grid.Add(n);
        }
        grid.Add(max);
        return grid.ToList();
    }
}
