using QuantaProbe.Models.Runtime;
using QuantaProbe.Onnx;

namespace QuantaProbe.Tests.Inference;

[Trait("tier", "fast")]
public class MatrixProductTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 5, 33, false, true)]
    [InlineData(64, 130, 257, false, true)]
    [InlineData(9, 4, 6, true, false)]
    [InlineData(12, 17, 3, true, true)]
    [InlineData(40, 3, 70, false, false)]
    public void Equals_naive_product(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m * 1000 + n);
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] b = Enumerable.Range(0, n * k).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float A(int i, int t) => transposeA ? a[t * m + i] : a[i * k + t];
        float B(int t, int j) => transposeB ? b[j * k + t] : b[t * n + j];
        var c = new float[m * n];
        using var product = new MatrixProduct(transposeA, transposeB, 1);
        product.Multiply(a, b, c, m, n, k);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int t = 0; t < k; t++)
                    expected += (double)A(i, t) * B(t, j);
                Assert.Equal(expected, c[i * n + j], 1e-4);
            }
    }

    [Fact]
    public void Slices_of_larger_buffers_are_used_in_place()
    {
        float[] a = [9, 9, 1, 2, 3, 4];
        float[] b = [1, 0, 0, 1];
        float[] c = new float[6];
        using var product = new MatrixProduct(transposeB: true, intraOpThreads: 1);
        product.Multiply(a.AsMemory(2), b, c.AsMemory(2), 2, 2, 2);
        Assert.Equal([0, 0, 1, 2, 3, 4], c);
    }

    [Fact]
    public void Disagreeing_shapes_are_refused()
    {
        using var product = new MatrixProduct(intraOpThreads: 1);
        Assert.Throws<ArgumentException>(() => product.Multiply(new float[6], new float[6], new float[3], 2, 2, 3));
    }
}
