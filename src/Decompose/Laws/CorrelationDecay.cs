namespace QuantaProbe.Decompose.Laws;

/// <summary>σ₁(C_n) over lags, the noise floor, the fitted β with its half-sampling draws over documents, and β on growing prefixes.</summary>
public sealed record CorrelationDecayResult(long Tokens, int Documents, int Types, int[] Lags, double[] TopSingularValue, double NoiseFloor,
    int FitFirst, int FitLast, double Beta, double[] BetaDraws, IReadOnlyList<(long Tokens, double Beta)> Prefixes);

/// <summary>
/// β of Cagnetta et al.: the top singular value of the lagged co-occurrence covariance C_n decays as n^−β. σ₁ is
/// computed for n = 1…n_max; β is minus the least-squares slope of log σ₁ on log n over the fit lags (given, or 1 up to
/// the last lag whose σ₁ is above twice the noise floor: σ₁ of C₁ for the same tokens shuffled, i.e. the value that
/// sampling alone gives at this corpus size). Intervals: half-samples of the documents (<see cref="HalfSampling"/>), since a
/// bootstrap's duplicated documents bias σ₁.
/// </summary>
public static class CorrelationDecay
{
    public static CorrelationDecayResult Measure(IReadOnlyList<int[]> tokenDocuments, CorpusExponentOptions options, int seed)
    {
        var (documents, types) = Dense(tokenDocuments);
        // Lags beyond the longest document have no pairs.
        var lags = Enumerable.Range(1, Math.Min(options.MaxLag, documents.Max(d => d.Length) - 1)).ToArray();
        var starts = new double[types];
        var sigma = lags.Select(n => Sigma(documents, types, n, null, starts)).ToArray();
        double noise = NoiseFloor(documents, types, seed);
        var (first, last) = options.BetaLags ?? (1, Math.Max(3, lags.TakeWhile(n => sigma[n - 1] > 2 * noise).DefaultIfEmpty(0).Max()));
        last = Math.Min(last, lags.Length);
        first = Math.Min(first, last - 1);
        var fitLags = Enumerable.Range(first, last - first + 1).ToArray();
        double beta = Exponent(fitLags, fitLags.Select(n => sigma[n - 1]).ToArray());
        var draws = HalfSampling.Draws(documents.Length, beta, w =>
        {
            var start = (double[])starts.Clone();
            return Exponent(fitLags, fitLags.Select(n => Sigma(documents, types, n, w, start)).ToArray());
        }, options.Resamples, seed);
        long tokens = documents.Sum(d => (long)d.Length);
        var prefixes = new List<(long, double)>();
        foreach (double share in new[] { 0.125, 0.25, 0.5 })
        {
            var weights = PrefixWeights(documents, (long)(share * tokens), out long taken);
            var start = (double[])starts.Clone();
            prefixes.Add((taken, Exponent(fitLags, fitLags.Select(n => Sigma(documents, types, n, weights, start)).ToArray())));
        }
        prefixes.Add((tokens, beta));
        return new CorrelationDecayResult(tokens, documents.Length, types, lags, sigma, noise, first, last, beta, draws, prefixes);
    }

    /// <summary>−(slope of log σ on log n); NaN where a σ is not positive.</summary>
    public static double Exponent(int[] lags, double[] sigma)
    {
        if (sigma.Any(s => !(s > 0)))
            return double.NaN;
        var (_, slope) = MathNet.Numerics.Fit.Line(lags.Select(n => Math.Log(n)).ToArray(), sigma.Select(s => Math.Log(s)).ToArray());
        return -slope;
    }

    private static double Sigma(int[][] documents, int types, int lag, int[]? weights, double[] start) =>
        LaggedCovariance.Build(documents, types, lag, weights) is { } c ? TopSingularValue.Of(c, start) : double.NaN;

    /// <summary>σ₁ of C₁ after shuffling every token across the corpus (document lengths kept): no correlation is left but sampling noise.</summary>
    private static double NoiseFloor(int[][] documents, int types, int seed)
    {
        var all = documents.SelectMany(d => d).ToArray();
        new Random(seed + 7919).Shuffle(all);
        var shuffled = new int[documents.Length][];
        int at = 0;
        for (int d = 0; d < documents.Length; d++)
        {
            shuffled[d] = all[at..(at + documents[d].Length)];
            at += documents[d].Length;
        }
        return Sigma(shuffled, types, 1, null, new double[types]);
    }

    private static int[] PrefixWeights(int[][] documents, long tokens, out long taken)
    {
        var weights = new int[documents.Length];
        taken = 0;
        for (int d = 0; d < documents.Length && taken < tokens; d++)
        {
            weights[d] = 1;
            taken += documents[d].Length;
        }
        return weights;
    }

    /// <summary>Token ids renumbered densely (first appearance order), so vectors are as long as the types present.</summary>
    private static (int[][] Documents, int Types) Dense(IReadOnlyList<int[]> documents)
    {
        var index = new Dictionary<int, int>();
        var dense = documents.Select(d => d.Select(t => index.TryGetValue(t, out int i) ? i : index[t] = index.Count).ToArray()).ToArray();
        return (dense, index.Count);
    }
}
