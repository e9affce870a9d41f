namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Draws each subtask's bits so that two subtasks share at most one bit where the bits allow it.
/// Subtasks that share two of three bits share part of their computation (the parity of the shared
/// pair), so a network may serve them with the same hidden units and their gradients no longer tell
/// them apart. At the paper's n = 100 such pairs are rare (about one in 550); at the 2-core default
/// n = 20, random draws give one pair in 22, so the toy would test bit overlap instead of quanta.
/// </summary>
internal static class SubsetDraw
{
    private const int MaxSharedBits = 1;
    private const int CandidatesPerSubset = 1000;

    /// <summary>
    /// Subtask i's bits, ascending. Each subset is the first of up to <see cref="CandidatesPerSubset"/>
    /// random candidates that shares at most one bit with every earlier subset; where none does
    /// (too many subtasks for the bits), the candidate with the smallest largest overlap.
    /// </summary>
    public static int[][] Draw(int tasks, int bits, int k, Random random)
    {
        var subsets = new int[tasks][];
        for (int i = 0; i < tasks; i++)
        {
            int[]? best = null;
            int bestOverlap = int.MaxValue;
            for (int attempt = 0; attempt < CandidatesPerSubset && bestOverlap > MaxSharedBits; attempt++)
            {
                var candidate = Enumerable.Range(0, bits).OrderBy(_ => random.Next()).Take(k).Order().ToArray();
                int overlap = LargestOverlap(candidate, subsets.AsSpan(0, i));
                if (overlap < bestOverlap)
                    (best, bestOverlap) = (candidate, overlap);
            }
            subsets[i] = best!;
        }
        return subsets;
    }

    /// <summary>The most bits any two of the subsets share (0 for fewer than two subsets).</summary>
    public static int LargestOverlap(int[][] subsets)
    {
        int largest = 0;
        for (int i = 1; i < subsets.Length; i++)
            largest = Math.Max(largest, LargestOverlap(subsets[i], subsets.AsSpan(0, i)));
        return largest;
    }

    private static int LargestOverlap(int[] candidate, ReadOnlySpan<int[]> earlier)
    {
        int largest = 0;
        foreach (var other in earlier)
            largest = Math.Max(largest, SharedBits(candidate, other));
        return largest;
    }

    /// <summary>How many bits two ascending subsets share.</summary>
    private static int SharedBits(int[] a, int[] b)
    {
        int shared = 0;
        for (int i = 0, j = 0; i < a.Length && j < b.Length;)
        {
            if (a[i] == b[j]) { shared++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return shared;
    }
}
