namespace QuantaProbe.Decompose.Scaling;

/// <summary>
/// A fitted scaling law in N (parameters, or training steps): L(N) = L∞ + (N_c/N)^α, or the pure
/// power law L(N) = (N_c/N)^α when <see cref="Irreducible"/> is 0 and not fitted.
/// </summary>
public sealed record ScalingFit(string Form, double Alpha, double Nc, double Irreducible, double ResidualSumOfSquares, int Points)
{
    public double Predict(double n) => Irreducible + Math.Pow(Nc / n, Alpha);
}
