using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using QuantaProbe.Decompose.Clustering;
using QuantaProbe.Decompose.Similarity;
using QuantaProbe.Decompose.Synthetic;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "fast")]
public class TopEigenvectorsTests
{
    [Theory]
    [InlineData(300, 10)]
    [InlineData(500, 40)]
    public void Agree_with_a_dense_eigendecomposition(int points, int k)
    {
        var (vectors, labels) = PlantedClusters.Generate(k, points, 32, 1.1, 0.5f, seed: points);
        int n = labels.Length;
        var a = Affinity.FromCosines(CosineMatrix.Compute(vectors, n, 32));
        var degree = Enumerable.Range(0, n).Select(i => a.AsSpan(i * n, n).ToArray().Sum()).ToArray();
        var m = new float[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i * n + j] = a[i * n + j] / MathF.Sqrt(degree[i] * degree[j]);

        var (values, eigenvectors, _) = TopEigenvectors.Compute(m, n, k, seed: 0);
        var dense = Matrix<double>.Build.Dense(n, n, (i, j) => m[i * n + j]).Evd(Symmetricity.Symmetric);
        var expected = dense.EigenValues.Select(v => v.Real).OrderDescending().Take(k).ToArray();
        for (int r = 0; r < k; r++)
            Assert.Equal(expected[r], values[r], 4);
        // Each returned vector v satisfies M·v ≈ λ·v.
        for (int r = 0; r < k; r++)
        {
            var v = eigenvectors.AsSpan(r * n, n).ToArray();
            double residual = 0;
            for (int i = 0; i < n; i++)
            {
                double mv = 0;
                for (int j = 0; j < n; j++)
                    mv += m[i * n + j] * v[j];
                residual += Math.Pow(mv - values[r] * v[i], 2);
            }
            Assert.True(Math.Sqrt(residual) < 1e-3, $"vector {r}: residual {Math.Sqrt(residual):E2}");
        }
    }
}
