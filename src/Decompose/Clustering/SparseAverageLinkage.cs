using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>The dendrogram of <see cref="SparseAverageLinkage"/>, and how many parts its graph had.</summary>
public sealed record SparseDendrogram(LinkageMerge[] Merges, int Components);

/// <summary>
/// Average linkage (UPGMA) on the sign-invariant angular distance when only a sparse graph of pairs was
/// measured (each point's nearest neighbours). The linkage of two clusters is the mean over all their
/// pairs: the observed pairs with their distances, the missing ones at an estimate from the clusters'
/// mean directions, arccos(|μ_A·μ_B| / (|A||B|))/π, where μ is the sum of a cluster's unit vectors, each
/// signed to agree with it. Neither obvious treatment of a missing pair is right: inside a group larger
/// than m almost every pair is missing, so counting missing pairs as far splits the Zipf head; and
/// ignoring them averages only the observed pairs between unrelated groups, which are the nearest ones,
/// so small groups chain the large ones together. The estimate is near the in-group distance inside a
/// group and near ½ between unrelated ones, as dense average linkage sees them.
/// Candidates are the pairs of clusters the graph connects; a pair's linkage is recomputed when it comes
/// off the queue and re-queued if it grew (lazy greedy); a merge re-queues the neighbours of its smaller
/// side. Parts of the graph that share no edge are joined last, above every height, the two smallest first.
/// </summary>
public static class SparseAverageLinkage
{
    private struct Link
    {
        public double Sum;
        public int Count;
    }

    /// <param name="neighbours">Row i: i's m neighbours (−1 for none).</param>
    /// <param name="distances">Row i: the distance to each of them.</param>
    /// <param name="unit">The points' unit vectors (N × <paramref name="dimension"/>); overwritten: row r becomes the signed sum of the cluster r stands for.</param>
    public static SparseDendrogram Build(int count, int m, ReadOnlySpan<int> neighbours, ReadOnlySpan<float> distances, float[] unit, int dimension)
    {
        if (neighbours.Length != (long)count * m || distances.Length != neighbours.Length)
            throw new ArgumentException($"{neighbours.Length} neighbours and {distances.Length} distances are not {count}×{m}");
        if (unit.Length != (long)count * dimension)
            throw new ArgumentException($"{unit.Length} values are not {count} vectors of {dimension}");
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
                queue.Enqueue((i, j), link.Sum);
            }

        var size = new int[count];
        Array.Fill(size, 1);
        Span<float> Sum(int cluster) => unit.AsSpan(cluster * dimension, dimension);
        double Linkage(int a, int b, Link link)
        {
            double pairs = (double)size[a] * size[b];
            if (link.Count >= pairs)
                return link.Sum / pairs;
            double meanCosine = Math.Min(1.0, Math.Abs(TensorPrimitives.Dot(Sum(a), Sum(b))) / pairs);
            return (link.Sum + (pairs - link.Count) * Math.Acos(meanCosine) / Math.PI) / pairs;
        }

        var merges = new List<LinkageMerge>(Math.Max(0, count - 1));
        while (queue.TryDequeue(out var pair, out double key))
        {
            var (a, b) = pair;
            if (links[a] is null || links[b] is null || !links[a].TryGetValue(b, out var current))
                continue;
            double height = Linkage(a, b, current);
            if (height > key + 1e-9)
            {
                queue.Enqueue(pair, height); // grew since it was queued: wait its turn
                continue;
            }
            var (keep, drop) = links[a].Count >= links[b].Count ? (a, b) : (b, a);
            // The merged cluster's signed sum: drop's sign that agrees with keep.
            if (TensorPrimitives.Dot(Sum(keep), Sum(drop)) >= 0)
                TensorPrimitives.Add(Sum(keep), Sum(drop), Sum(keep));
            else
                TensorPrimitives.Subtract(Sum(keep), Sum(drop), Sum(keep));
            size[keep] += size[drop];
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
                queue.Enqueue((keep, other), Linkage(keep, other, merged));
            }
            links[drop] = null!;
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
