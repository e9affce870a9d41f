namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// H_n = H∞ + A·n^−γ fitted to mean losses by context length, or why the points do not determine γ. ProfileLow–ProfileHigh:
/// the γ whose best residual is within an F-test bound (95%) of the minimum.
/// </summary>
public sealed record EntropyDecayFit(double Gamma, double Limit, double Amplitude, double ProfileLow, double ProfileHigh, string? Undetermined)
{
    public bool Identified => Undetermined is null;
}

/// <summary>
/// The fit of H_n = H∞ + A·n^−γ by variable projection: for each γ on a log grid over [<see cref="MinGamma"/>,
/// <see cref="MaxGamma"/>] (refined by golden section), H∞ and A are a weighted linear least-squares solution (weights: tokens
/// per position), H∞ kept ≥ 0 since it is an entropy; γ minimises the weighted residual. A free three-parameter nonlinear fit
/// on few noisy points trades H∞ against γ (γ → 0 with H∞ → −∞ fits a logarithmic decline as well as any power law) and
/// collapses to a bound; here the residual's profile over γ says whether the points determine γ at all: a best amplitude
/// ≤ 0 (H_n does not fall), or a profile range that reaches either end of the grid, leaves γ not identifiable.
/// </summary>
public static class EntropyDecay
{
    public const double MinGamma = 0.01;
    public const double MaxGamma = 4;
    private const int GridPoints = 240;

    public static EntropyDecayFit Fit(IReadOnlyList<int> positions, IReadOnlyList<double> mean, IReadOnlyList<double> weight)
    {
        var n = new List<double>();
        var h = new List<double>();
        var w = new List<double>();
        for (int i = 0; i < positions.Count; i++)
            if (double.IsFinite(mean[i]) && weight[i] > 0)
            {
                n.Add(positions[i]);
                h.Add(mean[i]);
                w.Add(weight[i]);
            }
        int k = n.Count;
        if (k < 4 || n.Distinct().Count() < 4)
            return Undetermined($"{k} context lengths with losses: four or more are needed for three parameters");

        var grid = Enumerable.Range(0, GridPoints).Select(i => MinGamma * Math.Pow(MaxGamma / MinGamma, i / (GridPoints - 1.0))).ToArray();
        var residual = grid.Select(g => Solve(n, h, w, g).Residual).ToArray();
        int best = Array.IndexOf(residual, residual.Min());
        double gamma = Refine(n, h, w, grid[Math.Max(0, best - 1)], grid[Math.Min(GridPoints - 1, best + 1)]);
        var fit = Solve(n, h, w, gamma);

        double bound = fit.Residual * (1 + MathNet.Numerics.Distributions.FisherSnedecor.InvCDF(1, k - 3, 0.95) / (k - 3));
        int low = best, high = best;
        while (low > 0 && residual[low - 1] <= bound)
            low--;
        while (high < GridPoints - 1 && residual[high + 1] <= bound)
            high++;
        var result = new EntropyDecayFit(gamma, fit.Limit, fit.Amplitude, Math.Min(grid[low], gamma), Math.Max(grid[high], gamma), null);

        double first = h[0], last = h[^1];
        string range = $"n = {n[0]:0}–{n[^1]:0}";
        if (!(fit.Amplitude > 0))
            return result with { Undetermined = $"H_n does not fall with context over {range} (from {first:0.###} to {last:0.###} nats): no decay to fit" };
        if (low == 0 && high == GridPoints - 1)
            return result with { Undetermined = $"every γ from {MinGamma} to {MaxGamma} fits H_n over {range} within the noise: the decay is too small for its points" };
        if (low == 0)
            return result with { Undetermined = $"γ is not bounded below over {range}: any γ down to {MinGamma} fits within the noise (H_∞ and γ trade off)" };
        if (high == GridPoints - 1)
            return result with { Undetermined = $"γ is not bounded above over {range}: any γ up to {MaxGamma} fits within the noise (the decay ends within the first context lengths)" };
        return result;
    }

    private static EntropyDecayFit Undetermined(string reason) => new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, reason);

    /// <summary>H∞ and A for a fixed γ: weighted least squares of H on (1, n^−γ), with H∞ = 0 where the free solution is negative.</summary>
    private static (double Limit, double Amplitude, double Residual) Solve(List<double> n, List<double> h, List<double> w, double gamma)
    {
        double sw = 0, sx = 0, sy = 0;
        var x = new double[n.Count];
        for (int i = 0; i < n.Count; i++)
        {
            x[i] = Math.Pow(n[i], -gamma);
            sw += w[i];
            sx += w[i] * x[i];
            sy += w[i] * h[i];
        }
        double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
        for (int i = 0; i < n.Count; i++)
        {
            sxx += w[i] * (x[i] - mx) * (x[i] - mx);
            sxy += w[i] * (x[i] - mx) * (h[i] - my);
        }
        double amplitude = sxx > 0 ? sxy / sxx : 0, limit = my - amplitude * mx;
        if (limit < 0)
        {
            double xx = 0, xy = 0;
            for (int i = 0; i < n.Count; i++)
            {
                xx += w[i] * x[i] * x[i];
                xy += w[i] * x[i] * h[i];
            }
            (limit, amplitude) = (0, xy / xx);
        }
        double residual = 0;
        for (int i = 0; i < n.Count; i++)
        {
            double r = h[i] - limit - amplitude * x[i];
            residual += w[i] * r * r;
        }
        return (limit, amplitude, residual);
    }

    /// <summary>The γ of least residual in [a, b] by golden-section search on log γ.</summary>
    private static double Refine(List<double> n, List<double> h, List<double> w, double a, double b)
    {
        double la = Math.Log(a), lb = Math.Log(b), ratio = (Math.Sqrt(5) - 1) / 2;
        double R(double lg) => Solve(n, h, w, Math.Exp(lg)).Residual;
        double c = lb - ratio * (lb - la), d = la + ratio * (lb - la), rc = R(c), rd = R(d);
        for (int i = 0; i < 80 && lb - la > 1e-7; i++)
        {
            if (rc < rd)
            {
                (lb, d, rd) = (d, c, rc);
                c = lb - ratio * (lb - la);
                rc = R(c);
            }
            else
            {
                (la, c, rc) = (c, d, rd);
                d = la + ratio * (lb - la);
                rd = R(d);
            }
        }
        return Math.Exp((la + lb) / 2);
    }
}
