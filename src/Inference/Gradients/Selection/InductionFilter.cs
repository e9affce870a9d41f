namespace QuantaProbe.Gradients.Selection;

/// <summary>
/// Marks tokens predictable by induction: the token completes a trigram (its two predecessors and
/// itself) that already occurred earlier in the same context. The paper drops these before QDG,
/// since an induction head predicts them whatever the text is about.
/// </summary>
internal static class InductionFilter
{
    /// <summary>result[p] is true when tokens[p-2..p] occurred as a trigram ending before p.</summary>
    public static bool[] Predictable(ReadOnlySpan<int> tokens)
    {
        var result = new bool[tokens.Length];
        var seen = new HashSet<(int, int, int)>();
        for (int p = 2; p < tokens.Length; p++)
        {
            var trigram = (tokens[p - 2], tokens[p - 1], tokens[p]);
            result[p] = !seen.Add(trigram);
        }
        return result;
    }
}
