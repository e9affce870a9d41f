using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.GroundTruth;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class AverageLinkageTests
{
    /// <summary>Textbook UPGMA: repeatedly merge the two clusters with the smallest mean pairwise distance.</summary>
    private static int[] Naive(double[,] d, int n, int k)
    {
        var clusters = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList();
        while (clusters.Count > k)
        {
            (int a, int b, double best) = (0, 1, double.MaxValue);
            for (int i = 0; i < clusters.Count; i++)
                for (int j = i + 1; j < clusters.Count; j++)
                {
                    double mean = clusters[i].SelectMany(p => clusters[j].Select(q => d[p, q])).Average();
                    if (mean < best)
                        (a, b, best) = (i, j, mean);
                }
            clusters[a].AddRange(clusters[b]);
            clusters.RemoveAt(b);
        }
        var labels = new int[n];
        for (int c = 0; c < clusters.Count; c++)
            foreach (int p in clusters[c])
                labels[p] = c;
        return labels;
    }

    [Theory]
    [InlineData(30, 1)]
    [InlineData(45, 2)]
    [InlineData(60, 3)]
    public void Cuts_equal_textbook_upgma(int n, int seed)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, n).Select(_ => (X: random.NextDouble() * 10, Y: random.NextDouble() * 10)).ToArray();
        var d = new double[n, n];
        var flat = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                flat[i * n + j] = (float)(d[i, j] = Math.Sqrt(Math.Pow(points[i].X - points[j].X, 2) + Math.Pow(points[i].Y - points[j].Y, 2)));
        var merges = AverageLinkage.Build(flat, n);
        Assert.Equal(n - 1, merges.Length);
        Assert.True(merges.Zip(merges.Skip(1)).All(p => p.First.Height <= p.Second.Height));
        int[] ks = [1, 2, 3, 5, 8, n / 2, n];
        var cuts = AverageLinkage.Cut(merges, n, ks);
        foreach (int k in ks)
        {
            Assert.Equal(k, cuts[k].Distinct().Count());
            Assert.Equal(1.0, AdjustedRandIndex.Of(Naive(d, n, k), cuts[k]), 9);
        }
    }

    [Fact]
    public void Nmi_and_spearman_match_hand_computed_values()
    {
        // Identical partitions up to renaming: NMI 1; independent ones: 0.
        Assert.Equal(1.0, NormalizedMutualInformation.Of([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]), 12);
        Assert.Equal(0.0, NormalizedMutualInformation.Of([0, 0, 1, 1], [0, 1, 0, 1]), 12);
        // [0,0,1,1] vs [0,0,0,1]: I = 0.5·ln2·... computed by hand: H(A) = ln2, H(B) = 0.5623, I = 0.2158 → NMI 0.3436 (scikit-learn: 0.34371)
        Assert.Equal(0.34371, NormalizedMutualInformation.Of([0, 0, 1, 1], [0, 0, 0, 1]), 4);
        Assert.Equal(1.0, SpearmanCorrelation.Of([1, 2, 3, 4], [10, 20, 35, double.PositiveInfinity]), 12);
        Assert.Equal(-1.0, SpearmanCorrelation.Of([1, 2, 3], [3, 2, 1]), 12);
        Assert.Equal([1.5, 1.5, 3], SpearmanCorrelation.Ranks([7, 7, 9]));
    }
}
