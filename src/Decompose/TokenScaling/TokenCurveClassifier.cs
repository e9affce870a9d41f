namespace QuantaProbe.Decompose.TokenScaling;

public enum TokenCurveKind { Flat, Monogenic, Polygenic }

/// <summary>How one token's loss falls across model sizes.</summary>
/// <param name="Exponent">Minus the OLS slope of log loss on log N (losses floored at <see cref="TokenCurveClassifier.LossFloor"/>).</param>
/// <param name="DropIndex">For a monogenic token, the index of the first model after the drop; otherwise −1.</param>
public readonly record struct TokenCurve(TokenCurveKind Kind, double Exponent, int DropIndex);

/// <summary>
/// The paper's distinction between tokens learned at once (monogenic: most of the loss goes
/// between two adjacent sizes and stays gone) and gradually (polygenic), plus tokens whose loss
/// does not move (flat).
/// </summary>
public sealed class TokenCurveClassifier(double[] parameters, double minimumChange = 1.0, double dropShare = 0.7, double stayTolerance = 0.25)
{
    public const double LossFloor = 1e-4;
    private readonly double[] _logN = parameters.Select(p => Math.Log(p)).ToArray();

    public IReadOnlyList<double> Parameters => parameters;

    /// <param name="losses">The token's loss under each model, in order of increasing size.</param>
    public TokenCurve Classify(ReadOnlySpan<float> losses)
    {
        if (losses.Length != _logN.Length)
            throw new ArgumentException($"{losses.Length} losses for {_logN.Length} models");
        double exponent = -Slope(losses);
        double total = losses[0] - losses[^1];
        if (Math.Abs(total) < minimumChange)
            return new TokenCurve(TokenCurveKind.Flat, exponent, -1);
        if (total > 0)
        {
            for (int i = 0; i + 1 < losses.Length; i++)
            {
                double drop = losses[i] - losses[i + 1];
                if (drop < dropShare * total || drop < minimumChange)
                    continue;
                bool stays = true;
                for (int j = i + 2; j < losses.Length && stays; j++)
                    stays = losses[j] <= losses[i + 1] + stayTolerance;
                if (stays)
                    return new TokenCurve(TokenCurveKind.Monogenic, exponent, i + 1);
            }
        }
        return new TokenCurve(TokenCurveKind.Polygenic, exponent, -1);
    }

    private double Slope(ReadOnlySpan<float> losses)
    {
        int n = losses.Length;
        double mx = _logN.Average(), my = 0;
        Span<double> y = stackalloc double[n];
        for (int i = 0; i < n; i++)
            my += y[i] = Math.Log(Math.Max(losses[i], LossFloor));
        my /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++)
        {
            sxy += (_logN[i] - mx) * (y[i] - my);
            sxx += (_logN[i] - mx) * (_logN[i] - mx);
        }
        return sxx == 0 ? 0 : sxy / sxx;
    }
}
