using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace QuantaProbe.Decompose.Scaling;

/// <summary>
/// Fits scaling laws to (N, mean loss) points. The pure law is the paper's fit: ordinary least
/// squares of log L on log N. The law with an irreducible loss is a nonlinear least-squares fit
/// in L (Levenberg–Marquardt over L∞, log N_c, α, from several starts, L∞ kept in [0, min L)).
/// </summary>
public static class ScalingLawFitter
{
    public const string PureForm = "L = (Nc/N)^alpha";
    public const string OffsetForm = "L = Linf + (Nc/N)^alpha";

    public static ScalingFit FitPure(IReadOnlyList<double> n, IReadOnlyList<double> loss)
    {
        Check(n, loss, 2);
        var x = n.Select(v => Math.Log(v)).ToArray();
        var y = loss.Select(v => Math.Log(v)).ToArray();
        var (intercept, slope) = MathNet.Numerics.Fit.Line(x, y);
        double alpha = -slope;
        double nc = Math.Exp(intercept / alpha);
        var fit = new ScalingFit(PureForm, alpha, nc, 0, 0, n.Count);
        return fit with { ResidualSumOfSquares = Rss(fit, n, loss) };
    }

    public static ScalingFit FitWithIrreducible(IReadOnlyList<double> n, IReadOnlyList<double> loss)
    {
        Check(n, loss, 3);
        double minLoss = loss.Min();
        var logN = Vector<double>.Build.DenseOfEnumerable(n.Select(v => Math.Log(v)));
        var observed = Vector<double>.Build.DenseOfEnumerable(loss);
        var pure = FitPure(n, loss);

        // p = (L∞, log N_c, α); L∞ is bounded below the smallest loss, α kept positive.
        var lower = Vector<double>.Build.DenseOfArray([0, -50, 1e-6]);
        var upper = Vector<double>.Build.DenseOfArray([minLoss * (1 - 1e-9), 200, 10]);
        ScalingFit? best = null;
        foreach (double share in new[] { 0.0, 0.25, 0.5, 0.75, 0.9 })
        {
            double linf = minLoss * share;
            var reduced = loss.Select(l => l - linf).ToArray();
            var start = share == 0 ? pure : FitPure(n, reduced);
            var initial = Vector<double>.Build.DenseOfArray([
                Math.Clamp(linf, 0, upper[0]), Math.Clamp(Math.Log(start.Nc), -49, 199), Math.Clamp(start.Alpha, 1e-5, 9.9)]);
            var model = ObjectiveFunction.NonlinearModel(
                (p, x) => Model(p, x), (p, x) => Jacobian(p, x), logN, observed);
            try
            {
                var result = new LevenbergMarquardtMinimizer(maximumIterations: 2000).FindMinimum(model, initial, lower, upper);
                var p = result.MinimizingPoint;
                var fit = new ScalingFit(OffsetForm, p[2], Math.Exp(p[1]), p[0], 0, n.Count);
                fit = fit with { ResidualSumOfSquares = Rss(fit, n, loss) };
                if (double.IsFinite(fit.ResidualSumOfSquares) && (best is null || fit.ResidualSumOfSquares < best.ResidualSumOfSquares))
                    best = fit;
            }
            catch (MaximumIterationsException)
            {
                // Another start may converge.
            }
        }
        return best ?? throw new InvalidOperationException("the scaling-law fit did not converge from any start");
    }

    private static Vector<double> Model(Vector<double> p, Vector<double> logN) =>
        logN.Map(x => p[0] + Math.Exp(p[2] * (p[1] - x)));

    private static Matrix<double> Jacobian(Vector<double> p, Vector<double> logN)
    {
        var j = Matrix<double>.Build.Dense(logN.Count, 3);
        for (int i = 0; i < logN.Count; i++)
        {
            double term = Math.Exp(p[2] * (p[1] - logN[i]));
            j[i, 0] = 1;
            j[i, 1] = term * p[2];
            j[i, 2] = term * (p[1] - logN[i]);
        }
        return j;
    }

    private static double Rss(ScalingFit fit, IReadOnlyList<double> n, IReadOnlyList<double> loss) =>
        n.Select((x, i) => Math.Pow(fit.Predict(x) - loss[i], 2)).Sum();

    private static void Check(IReadOnlyList<double> n, IReadOnlyList<double> loss, int minimum)
    {
        if (n.Count != loss.Count)
            throw new ArgumentException("as many sizes as losses are needed");
        if (n.Count < minimum)
            throw new ArgumentException($"a scaling-law fit needs at least {minimum} points, got {n.Count}");
        if (n.Any(x => !(x > 0)) || loss.Any(l => !(l > 0)))
            throw new ArgumentException("sizes and losses must be positive");
    }
}
