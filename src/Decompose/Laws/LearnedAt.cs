namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// When an item is learned along a series (its checkpoints, or the sizes): the first point where its loss has fallen
/// to start − share·(start − end), start and end being its own first and last losses. An item whose loss falls by
/// less than the minimum drop is not learned along the series.
/// </summary>
public static class LearnedAt
{
    /// <returns>The index of the first point at or below the threshold, or -1 when the item is not learned.</returns>
    public static int Index(IReadOnlyList<double> curve, double share, double minDrop)
    {
        if (curve.Count < 2)
            return -1;
        double start = curve[0], end = curve[^1];
        if (!(start - end >= minDrop) || start - end <= 0)
            return -1;
        double threshold = start - share * (start - end);
        for (int i = 1; i < curve.Count; i++)
            if (curve[i] <= threshold)
                return i;
        return curve.Count - 1;
    }
}
