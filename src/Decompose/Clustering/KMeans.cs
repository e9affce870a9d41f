using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// k-means (Lloyd) with greedy k-means++ seeding (as scikit-learn: each new center is the best of
/// 2 + ln k candidates drawn by D² sampling) and several seeded restarts; the lowest inertia wins.
/// </summary>
internal static class KMeans
{
    public static int[] Cluster(float[][] points, int k, int restarts, int seed, int maxIterations = 300)
    {
        int[]? best = null;
        double bestInertia = double.PositiveInfinity;
        for (int r = 0; r < restarts; r++)
        {
            var (labels, inertia) = Run(points, k, new Random(unchecked(seed * 1_000_003 + r)), maxIterations);
            if (inertia < bestInertia)
                (best, bestInertia) = (labels, inertia);
        }
        return best!;
    }

    private static (int[] Labels, double Inertia) Run(float[][] points, int k, Random random, int maxIterations)
    {
        int n = points.Length, d = points[0].Length;
        var centers = SeedPlusPlus(points, k, random);
        var labels = new int[n];
        Array.Fill(labels, -1);
        double inertia = 0;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            bool changed = false;
            var distances = new double[n];
            Parallel.For(0, n, i =>
            {
                int nearest = 0;
                float nearestDistance = float.MaxValue;
                for (int c = 0; c < k; c++)
                {
                    float dist = TensorPrimitives.Distance(points[i], centers[c]);
                    if (dist < nearestDistance)
                        (nearest, nearestDistance) = (c, dist);
                }
                if (labels[i] != nearest)
                {
                    labels[i] = nearest;
                    changed = true;
                }
                distances[i] = (double)nearestDistance * nearestDistance;
            });
            inertia = distances.Sum();
            if (!changed)
                break;
            var sums = Enumerable.Range(0, k).Select(_ => new float[d]).ToArray();
            var counts = new int[k];
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Add(sums[labels[i]], points[i], sums[labels[i]]);
                counts[labels[i]]++;
            }
            for (int c = 0; c < k; c++)
            {
                if (counts[c] > 0)
                    TensorPrimitives.Divide(sums[c], counts[c], centers[c]);
                else
                    centers[c] = (float[])points[FarthestFrom(points, centers, labels)].Clone(); // revive an empty cluster
            }
        }
        return (labels, inertia);
    }

    private static int FarthestFrom(float[][] points, float[][] centers, int[] labels)
    {
        int far = 0;
        float farDistance = -1;
        for (int i = 0; i < points.Length; i++)
        {
            float dist = TensorPrimitives.Distance(points[i], centers[labels[i]]);
            if (dist > farDistance)
                (far, farDistance) = (i, dist);
        }
        return far;
    }

    private static float[][] SeedPlusPlus(float[][] points, int k, Random random)
    {
        int n = points.Length;
        int trials = 2 + (int)Math.Log(k);
        var centers = new float[k][];
        centers[0] = (float[])points[random.Next(n)].Clone();
        var nearest = new double[n];
        for (int i = 0; i < n; i++)
            nearest[i] = Squared(points[i], centers[0]);
        for (int c = 1; c < k; c++)
        {
            double total = nearest.Sum();
            int best = -1;
            double bestPotential = double.PositiveInfinity;
            double[]? bestNearest = null;
            for (int t = 0; t < trials; t++)
            {
                int candidate = Draw(nearest, total, random);
                var updated = new double[n];
                double potential = 0;
                for (int i = 0; i < n; i++)
                {
                    updated[i] = Math.Min(nearest[i], Squared(points[i], points[candidate]));
                    potential += updated[i];
                }
                if (potential < bestPotential)
                    (best, bestPotential, bestNearest) = (candidate, potential, updated);
            }
            centers[c] = (float[])points[best].Clone();
            nearest = bestNearest!;
        }
        return centers;
    }

    private static double Squared(float[] a, float[] b)
    {
        double d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    /// <summary>An index drawn with probability proportional to its weight (D² sampling).</summary>
    private static int Draw(double[] weights, double total, Random random)
    {
        double target = random.NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            target -= weights[i];
            if (target <= 0)
                return i;
        }
        return weights.Length - 1;
    }
}
