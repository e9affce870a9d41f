namespace QuantaProbe.Decompose.Clustering;

/// <summary>One merge of the dendrogram: the clusters holding points <see cref="A"/> and <see cref="B"/> join at <see cref="Height"/>.</summary>
public readonly record struct LinkageMerge(int A, int B, float Height);

/// <summary>
/// Average-linkage (UPGMA) agglomerative clustering of a dense distance matrix by the nearest-neighbour
/// chain algorithm: O(n²) time, in place in the n×n matrix (Lance–Williams update
/// d(i∪j, m) = (n_i·d(i,m) + n_j·d(j,m)) / (n_i + n_j)). Average linkage is reducible, so the merges
/// sorted by height form the dendrogram, and one dendrogram cut at n − k merges gives the clustering
/// for every k: nested, and computed once for the whole list.
/// </summary>
public static class AverageLinkage
{
    /// <summary>The n − 1 merges sorted by height. <paramref name="distances"/> (symmetric, n×n) is overwritten.</summary>
    public static LinkageMerge[] Build(float[] distances, int n)
    {
        if (distances.Length != (long)n * n)
            throw new ArgumentException($"the distance matrix holds {distances.Length} values, not {n}×{n}");
        var size = new int[n];
        Array.Fill(size, 1);
        var active = new bool[n];
        Array.Fill(active, true);
        var merges = new List<LinkageMerge>(Math.Max(0, n - 1));
        var chain = new int[n];
        int chainLength = 0;
        int remaining = n;
        int nextStart = 0;
        while (remaining > 1)
        {
            if (chainLength == 0)
            {
                while (!active[nextStart])
                    nextStart++;
                chain[chainLength++] = nextStart;
            }
            int a = chain[chainLength - 1];
            int previous = chainLength >= 2 ? chain[chainLength - 2] : -1;
            // Nearest active neighbour of a; ties go to the previous chain element, so the chain ends.
            int best = previous;
            float bestDistance = previous >= 0 ? distances[(long)a * n + previous] : float.PositiveInfinity;
            var row = distances.AsSpan((int)((long)a * n), n);
            for (int m = 0; m < n; m++)
                if (m != a && active[m] && row[m] < bestDistance)
                    (best, bestDistance) = (m, row[m]);
            if (best != previous)
            {
                chain[chainLength++] = best;
                continue;
            }
            // a and previous are reciprocal nearest neighbours: merge a into previous.
            chainLength -= 2;
            int keep = previous, drop = a;
            merges.Add(new LinkageMerge(keep, drop, bestDistance));
            float wKeep = size[keep], wDrop = size[drop], total = wKeep + wDrop;
            for (int m = 0; m < n; m++)
            {
                if (!active[m] || m == keep || m == drop)
                    continue;
                float d = (wKeep * distances[(long)keep * n + m] + wDrop * distances[(long)drop * n + m]) / total;
                distances[(long)keep * n + m] = d;
                distances[(long)m * n + keep] = d;
            }
            size[keep] += size[drop];
            active[drop] = false;
            remaining--;
        }
        // Stable by height: equal heights keep their merge order.
        return merges.Select((m, i) => (m, i)).OrderBy(p => p.m.Height).ThenBy(p => p.i).Select(p => p.m).ToArray();
    }

    /// <summary>Labels 0..k−1 for each k (1 ≤ k ≤ n): the dendrogram after its first n − k merges.</summary>
    public static IReadOnlyDictionary<int, int[]> Cut(LinkageMerge[] merges, int n, IEnumerable<int> ks)
    {
        var parent = Enumerable.Range(0, n).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
            return x;
        }
        var result = new Dictionary<int, int[]>();
        int applied = 0;
        foreach (int k in ks.Distinct().OrderDescending())
        {
            if (k < 1 || k > n)
                throw new ArgumentException($"k = {k} clusters of {n} points");
            for (; applied < n - k; applied++)
            {
                int a = Find(merges[applied].A), b = Find(merges[applied].B);
                if (a != b)
                    parent[a] = b;
            }
            var ids = new Dictionary<int, int>();
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                int root = Find(i);
                if (!ids.TryGetValue(root, out int id))
                    ids[root] = id = ids.Count;
                labels[i] = id;
            }
            result[k] = labels;
        }
        return result;
    }
}
