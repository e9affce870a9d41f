using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// The k eigenvectors of largest eigenvalue of a symmetric matrix whose spectrum lies in [−1, 1]
/// (a normalised affinity of non-negative weights: its negative eigenvalues are small in magnitude,
/// so the wanted eigenvalues are also the largest in magnitude), by block subspace iteration with
/// Rayleigh–Ritz and a guard block of extra vectors: only products M·V are formed, never a dense
/// N×N eigendecomposition.
/// </summary>
internal static class TopEigenvectors
{
    public static (double[] Values, float[][] Vectors) Compute(float[] m, int n, int k, int seed, int maxIterations = 500, double tolerance = 1e-4)
    {
        int b = Math.Min(n, k + Math.Max(8, k / 2));
        var random = new Random(seed);
        var block = Enumerable.Range(0, b).Select(_ => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        double[] values = [];
        float[][] ritz = [];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            // One product per iteration: W = M·Q gives both the Rayleigh–Ritz projection QᵀW and,
            // combined with the Ritz coefficients, M applied to the Ritz vectors (the next block).
            var q = Orthonormal(block, n);
            var w = SymmetricMatrix.Times(m, n, q);
            var (theta, coefficients) = ProjectedEigenpairs(q, w);
            values = theta;
            ritz = Combine(q, coefficients);
            block = Combine(w, coefficients);
            // Converged when every wanted Ritz pair has a small residual ‖M·v − θ·v‖ (‖v‖ = 1).
            bool converged = true;
            for (int i = 0; i < k && converged; i++)
            {
                var residual = (float[])block[i].Clone();
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(ritz[i], (float)-theta[i], residual, residual);
                converged = System.Numerics.Tensors.TensorPrimitives.Norm(residual) < tolerance;
            }
            if (converged)
                break;
        }
        return (values.Take(k).ToArray(), ritz.Take(k).ToArray());
    }

    private static float[][] Orthonormal(float[][] block, int n)
    {
        var matrix = Matrix<double>.Build.Dense(n, block.Length, (i, j) => block[j][i]);
        var q = matrix.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
        return Enumerable.Range(0, block.Length).Select(j => Enumerable.Range(0, n).Select(i => (float)q[i, j]).ToArray()).ToArray();
    }

    /// <summary>Eigenpairs of QᵀMQ (from W = MQ), sorted by decreasing eigenvalue.</summary>
    private static (double[] Values, Matrix<double> Coefficients) ProjectedEigenpairs(float[][] q, float[][] w)
    {
        int b = q.Length;
        var small = Matrix<double>.Build.Dense(b, b, (i, j) => System.Numerics.Tensors.TensorPrimitives.Dot(q[i], w[j]));
        small = (small + small.Transpose()) / 2;
        var evd = small.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, b).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var coefficients = Matrix<double>.Build.Dense(b, b, (j, r) => evd.EigenVectors[j, order[r]]);
        return (order.Select(i => evd.EigenValues[i].Real).ToArray(), coefficients);
    }

    /// <summary>Column r of the result: Σ_j basis[j] · coefficients[j, r].</summary>
    private static float[][] Combine(float[][] basis, Matrix<double> coefficients)
    {
        int n = basis[0].Length, b = basis.Length;
        var result = new float[b][];
        Parallel.For(0, b, r =>
        {
            var v = new float[n];
            for (int j = 0; j < b; j++)
            {
                float c = (float)coefficients[j, r];
                if (c != 0)
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(basis[j], c, v, v);
            }
            result[r] = v;
        });
        return result;
    }
}
