using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using static System.Numerics.Tensors.TensorPrimitives;
using QuantaProbe.Onnx;

namespace QuantaProbe.Decompose.Clustering;

/// <summary>
/// The k eigenvectors of largest eigenvalue of a symmetric N×N matrix whose spectrum lies in
/// [−1, 1] (a normalised affinity of non-negative weights), by block subspace iteration with
/// Rayleigh–Ritz and a guard block of extra vectors: only products M·V are formed (SGEMM), never
/// a dense N×N eigendecomposition. Blocks are stored as b rows of length N.
/// </summary>
internal static class TopEigenvectors
{
    /// <returns>The k largest eigenvalues and their eigenvectors, row r of the k×N array being vector r.</returns>
    /// <param name="tolerance">Relative: a Ritz pair (θ, v) has converged when ‖M·v − θ·v‖ ≤ tolerance·|θ| (or below float32 resolution of the largest θ).</param>
    public static (double[] Values, float[] Vectors, int Iterations) Compute(float[] m, int n, int k, int seed, int maxIterations = 1000, double tolerance = 1e-3)
    {
        if (m.Length != (long)n * n)
            throw new ArgumentException($"the matrix holds {m.Length} values, not {n}×{n}");
        int b = Math.Min(n, k + Math.Max(8, k / 2));
        using var plain = new MatrixProduct();
        using var timesTransposed = new MatrixProduct(transposeB: true);
        using var transposedTimes = new MatrixProduct(transposeA: true);
        var random = new Random(seed);
        var block = new float[b * n];
        for (int i = 0; i < block.Length; i++)
            block[i] = (float)(random.NextDouble() * 2 - 1);
        var w = new float[b * n];
        var ritz = new float[b * n];
        var small = new float[b * b];
        double[] values = [];
        int iteration = 0;
        while (iteration++ < maxIterations)
        {
            // One product per iteration: W = Q·M (rows M·q, M symmetric) gives both the Rayleigh–Ritz
            // projection Q·Wᵀ and, combined with the Ritz coefficients, M applied to the Ritz vectors.
            var q = Orthonormal(block, b, n, timesTransposed, plain);
            plain.Multiply(q, m, w, b, n, n);
            timesTransposed.Multiply(q, w, small, b, b, n);
            var (theta, coefficients) = ProjectedEigenpairs(small, b);
            values = theta;
            transposedTimes.Multiply(coefficients, q, ritz, b, n, b);
            transposedTimes.Multiply(coefficients, w, block, b, n, b);
            if (Converged(block, ritz, theta, k, n, tolerance))
                break;
        }
        return (values.Take(k).ToArray(), ritz.AsSpan(0, k * n).ToArray(), Math.Min(iteration, maxIterations));
    }

    /// <summary>
    /// Every wanted Ritz pair has a residual ‖M·v − θ·v‖ (‖v‖ = 1) small against its own eigenvalue:
    /// the wanted eigenvalues of a dense normalised affinity span orders of magnitude (a cluster's is
    /// about its size over N), so an absolute bound would accept noise for the small ones.
    /// M·v is in <paramref name="mv"/>.
    /// </summary>
    private static bool Converged(float[] mv, float[] v, double[] theta, int k, int n, double tolerance)
    {
        var residual = new float[n];
        double floor = 1e-6 * Math.Abs(theta[0]);
        for (int i = 0; i < k; i++)
        {
            MultiplyAdd(v.AsSpan(i * n, n), (float)-theta[i], mv.AsSpan(i * n, n), residual);
            if (Norm(residual) > Math.Max(tolerance * Math.Abs(theta[i]), floor))
                return false;
        }
        return true;
    }

    /// <summary>
    /// An orthonormal basis of the rows by Cholesky QR, twice (CholQR2): rows are scaled to unit length
    /// first, G = X·Xᵀ = L·Lᵀ, X ← L⁻¹·X. Falls back to Householder QR where G is numerically singular.
    /// </summary>
    private static float[] Orthonormal(float[] rows, int b, int n, MatrixProduct timesTransposed, MatrixProduct plain)
    {
        var x = (float[])rows.Clone();
        for (int i = 0; i < b; i++)
        {
            var row = x.AsSpan(i * n, n);
            float norm = Norm(row);
            if (norm > 0)
                Divide(row, norm, row);
        }
        var gram = new float[b * b];
        var next = new float[b * n];
        for (int pass = 0; pass < 2; pass++)
        {
            timesTransposed.Multiply(x, x, gram, b, b, n);
            var g = Matrix<double>.Build.Dense(b, b, (i, j) => 0.5 * (gram[i * b + j] + gram[j * b + i]));
            Cholesky<double> cholesky;
            try
            {
                cholesky = g.Cholesky();
            }
            catch (ArgumentException)
            {
                return HouseholderOrthonormal(rows, b, n);
            }
            var inverse = cholesky.Factor.Inverse();
            if (!inverse.Enumerate().All(double.IsFinite))
                return HouseholderOrthonormal(rows, b, n);
            var inverseRows = new float[b * b];
            for (int i = 0; i < b; i++)
                for (int j = 0; j <= i; j++)
                    inverseRows[i * b + j] = (float)inverse[i, j];
            plain.Multiply(inverseRows, x, next, b, n, b);
            (x, next) = (next, x);
        }
        return x;
    }

    private static float[] HouseholderOrthonormal(float[] rows, int b, int n)
    {
        var matrix = Matrix<double>.Build.Dense(n, b, (i, j) => rows[j * n + i]);
        var q = matrix.QR(QRMethod.Thin).Q;
        var result = new float[b * n];
        for (int j = 0; j < b; j++)
            for (int i = 0; i < n; i++)
                result[j * n + i] = (float)q[i, j];
        return result;
    }

    /// <summary>Eigenpairs of the b×b projection, by decreasing eigenvalue; coefficient (j, r) at [j·b + r].</summary>
    private static (double[] Values, float[] Coefficients) ProjectedEigenpairs(float[] small, int b)
    {
        var s = Matrix<double>.Build.Dense(b, b, (i, j) => 0.5 * (small[i * b + j] + small[j * b + i]));
        var evd = s.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, b).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var coefficients = new float[b * b];
        for (int j = 0; j < b; j++)
            for (int r = 0; r < b; r++)
                coefficients[j * b + r] = (float)evd.EigenVectors[j, order[r]];
        return (order.Select(i => evd.EigenValues[i].Real).ToArray(), coefficients);
    }
}
