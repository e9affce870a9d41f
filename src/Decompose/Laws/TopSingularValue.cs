using System.Numerics.Tensors;

namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// The largest singular value of a sparse <see cref="LaggedCovariance"/> by power iteration on CᵀC (only products
/// with C and Cᵀ). A start vector (e.g. the previous lag's right singular vector) speeds it up; it is updated in place.
/// </summary>
public static class TopSingularValue
{
    public const int MaxIterations = 500;
    public const double Tolerance = 1e-7;

    public static double Of(LaggedCovariance c, double[] start)
    {
        int n = c.Types;
        var v = start;
        double norm = TensorPrimitives.Norm(v);
        if (!(norm > 0))
        {
            var random = new Random(0);
            for (int i = 0; i < n; i++)
                v[i] = random.NextDouble() - 0.5;
            norm = TensorPrimitives.Norm(v);
        }
        TensorPrimitives.Divide(v, norm, v);
        var u = new double[n];
        var w = new double[n];
        double sigma = 0;
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            c.Multiply(v, u);
            double next = TensorPrimitives.Norm(u);
            c.MultiplyTransposed(u, w);
            double wn = TensorPrimitives.Norm(w);
            if (!(wn > 0))
                return next;
            TensorPrimitives.Divide(w, wn, v);
            if (Math.Abs(next - sigma) <= Tolerance * next)
                return next;
            sigma = next;
        }
        return sigma;
    }
}
