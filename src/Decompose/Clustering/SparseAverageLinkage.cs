namespace QuantaProbe.Decompose.Clustering;

/// <summary>The dendrogram of <see cref="SparseAverageLinkage"/>, and how many parts its graph had.</summary>
public sealed record SparseDendrogram(LinkageMerge[] Merges, int Components);

/// <summary>
/// Average linkage on a sparse graph (the symmetrised nearest-neighbour graph): the linkage of two
/// clusters is the mean distance over the pairs between them that the graph observed. A missing pair is
/// unobserved, not far: a point sees only its m nearest, so inside a group larger than m almost every
/// pair is missing, and counting missing pairs at any fixed distance would split the Zipf head into
/// pieces; averaging the observed pairs keeps it whole, and equals dense average linkage whenever every
/// pair between two clusters is observed. The linkage of a merged cluster is a weighted mean of its
/// parts', so it is reducible and the merges come out in order of height; only the pairs touching the
/// smaller side change, so a merge costs that side's degree (smaller into larger). Parts of the graph
/// that share no edge are joined last, above every height, the two smallest first.
/// </summary>
public static class SparseAverageLinkage
{
    private struct Link
    {
        public double Sum;
        public int Count;
        public readonly double Mean => Sum / Count;
    }

    /// <param name="neighbours">Row i: i's m neighbours (−1 for none).</param>
    /// <param name="distances">Row i: the distance to each of them.</param>
    public static SparseDendrogram Build(int count, int m, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> distances)
    {
        if (neighbours.Length != (long)count * m || distances.Length != neighbours.Length)
            throw new ArgumentException($"{neighbours.Length} neighbours and {distances.Length} distances are not {count}×{m}");
        var links = new Dictionary<int, Link>[count];
        for (int i = 0; i < count; i++)
            links[i] = new Dictionary<int, Link>(m);
        var queue = new PriorityQueue<(int A, int B), double>(count * m);
        for (int i = 0; i < count; i++)
            for (int e = 0; e < m; e++)
            {
                int j = neighbours[i * m + e];
                if (j < 0 || j == i || links[i].ContainsKey(j))
                    continue;
                var link = new Link { Sum = distances[i * m + e], Count = 1 };
                links[i][j] = link;
                links[j][i] = link;
                queue.Enqueue((Math.Min(i, j), Math.Max(i, j)), link.Mean);
            }

        var size = new int[count];
        Array.Fill(size, 1);
        var merges = new List<LinkageMerge>(Math.Max(0, count - 1));
        while (queue.TryDequeue(out var pair, out double height))
        {
            var (a, b) = pair;
            // Stale entries: a side merged away, or the pair's linkage changed since it was queued.
            if (links[a] is null || links[b] is null || !links[a].TryGetValue(b, out var current) || current.Mean != height)
                continue;
            var (keep, drop) = links[a].Count >= links[b].Count ? (a, b) : (b, a);
            links[keep].Remove(drop);
            foreach (var (other, link) in links[drop])
            {
                if (other == keep)
                    continue;
                links[other].Remove(drop);
                var merged = links[keep].TryGetValue(other, out var existing)
                    ? new Link { Sum = existing.Sum + link.Sum, Count = existing.Count + link.Count }
                    : link;
                links[keep][other] = merged;
                links[other][keep] = merged;
                queue.Enqueue((Math.Min(keep, other), Math.Max(keep, other)), merged.Mean);
            }
            links[drop] = null!;
            size[keep] += size[drop];
            merges.Add(new LinkageMerge(keep, drop, (float)height));
        }

        // Whatever the graph left apart: join the two smallest parts, again and again, above every height.
        var parts = new PriorityQueue<int, (int Size, int Id)>();
        for (int i = 0; i < count; i++)
            if (links[i] is not null)
                parts.Enqueue(i, (size[i], i));
        int components = parts.Count;
        while (parts.Count > 1)
        {
            int x = parts.Dequeue(), y = parts.Dequeue();
            merges.Add(new LinkageMerge(y, x, float.PositiveInfinity));
            size[y] += size[x];
            parts.Enqueue(y, (size[y], y));
        }
        return new SparseDendrogram(merges.ToArray(), components);
    }
}
