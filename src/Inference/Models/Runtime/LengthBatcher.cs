namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Groups sequences of similar length into batches of at most a token budget (batch size ×
/// longest length), so little of each batch is padding. Deterministic: ties keep input order.
/// </summary>
internal static class LengthBatcher
{
    public static List<int[]> Batches(IReadOnlyList<int> lengths, int budgetTokens)
    {
        var order = Enumerable.Range(0, lengths.Count).Where(i => lengths[i] >= 2).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
        var batches = new List<int[]>();
        var current = new List<int>();
        int longest = 0;
        foreach (int i in order)
        {
            int next = Math.Max(longest, lengths[i]);
            if (current.Count > 0 && (long)(current.Count + 1) * next > budgetTokens)
            {
                batches.Add(current.ToArray());
                current.Clear();
                next = lengths[i];
            }
            current.Add(i);
            longest = next;
        }
        if (current.Count > 0)
            batches.Add(current.ToArray());
        return batches;
    }
}
