using QuantaProbe.Decompose.Similarity;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class CosineMatrixTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(70, 17)]
    [InlineData(130, 64)]
    public void Equals_double_precision_cosines(int n, int k)
    {
        var random = new Random(n);
        var v = Enumerable.Range(0, n * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        v.AsSpan(0, k).Clear(); // a zero vector
        var c = CosineMatrix.Compute(v, n, k);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double dot = 0, ni = 0, nj = 0;
                for (int t = 0; t < k; t++)
                {
                    dot += (double)v[i * k + t] * v[j * k + t];
                    ni += (double)v[i * k + t] * v[i * k + t];
                    nj += (double)v[j * k + t] * v[j * k + t];
                }
                double expected = ni == 0 || nj == 0 ? 0 : dot / Math.Sqrt(ni * nj);
                Assert.Equal(expected, c[i * n + j], 1e-5);
            }
    }

    [Fact]
    public void Pearson_of_a_series_with_itself_is_one_and_with_its_negation_minus_one()
    {
        float[] x = [1, 2, 4, 8, 3];
        Assert.Equal(1.0, Pearson.Correlation(x, x), 12);
        Assert.Equal(-1.0, Pearson.Correlation(x, x.Select(v => -2 * v + 1).ToArray()), 6);
        Assert.Equal([2f, 3f, 6f], Pearson.UpperTriangle([1, 2, 3, 0, 1, 6, 0, 0, 1], 3));
    }
}
