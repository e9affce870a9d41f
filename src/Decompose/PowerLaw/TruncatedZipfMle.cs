namespace QuantaProbe.Decompose.PowerLaw;

/// <summary>
/// Maximum-likelihood exponent of a Zipf law on a bounded support: each sample's cluster rank r in
/// 1..R is drawn with P(r) ∝ r^-β. Cluster sizes n_r then follow n_r ∝ r^-β, so β is minus the
/// rank-frequency slope, estimated without the bias of least squares on log-log points
/// (Clauset, Shalizi & Newman 2009); the support is bounded by the number of clusters R.
/// </summary>
public static class TruncatedZipfMle
{
    /// <param name="sizes">Cluster sizes by rank (largest first).</param>
    public static double Exponent(IReadOnlyList<int> sizes)
    {
        int ranks = sizes.Count;
        long n = sizes.Sum(s => (long)s);
        if (ranks < 2 || n < 2)
            throw new ArgumentException("the Zipf MLE needs at least two clusters and two samples");
        double sumLogRank = 0;
        for (int r = 1; r <= ranks; r++)
            sumLogRank += sizes[r - 1] * Math.Log(r);
        double LogLikelihood(double beta)
        {
            double z = 0;
            for (int r = 1; r <= ranks; r++)
                z += Math.Pow(r, -beta);
            return -beta * sumLogRank - n * Math.Log(z);
        }
        // The log-likelihood is concave in β: golden-section search on a wide bracket.
        double lo = -1, hi = 10;
        double phi = (Math.Sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = LogLikelihood(a), fb = LogLikelihood(b);
        while (hi - lo > 1e-9)
        {
            if (fa < fb)
            {
                lo = a; a = b; fa = fb;
                b = lo + phi * (hi - lo); fb = LogLikelihood(b);
            }
            else
            {
                hi = b; b = a; fb = fa;
                a = hi - phi * (hi - lo); fa = LogLikelihood(a);
            }
        }
        return (lo + hi) / 2;
    }
}
