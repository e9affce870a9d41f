namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// H_n by context length (index n; tokens = losses counted there), the fit of H∞ + A·n^−γ over First–Last, its bootstrap
/// draws of γ over documents (NaN where a resample leaves γ undetermined), and why γ is undetermined (null when it is not).
/// </summary>
public sealed record ContextEntropyResult(double[] Mean, long[] Tokens, int First, int Last, EntropyDecayFit Fit, double[] Draws, string? Undetermined);

/// <summary>One target of the context probe as γ reads it: its context length n, its document (the bootstrap's unit), its loss.</summary>
public readonly record struct ProbeLoss(int ContextLength, long Document, float Loss);

/// <summary>
/// γ of Cagnetta et al. from a model's losses, fitted by <see cref="EntropyDecay"/> weighted by the losses at each n, with a
/// bootstrap over documents. Two definitions of H_n: the paper's (<see cref="MeasureProbe"/>: the mean loss of targets scored
/// from exactly n tokens of context, the context probe of <c>quanta infer</c>), and, without a probe, the loss at predicted
/// position n of each document net of the document's own level (<see cref="Measure"/>). γ is undetermined where the fit on all
/// documents is, or where more than <see cref="UndeterminedShare"/> of the resamples are.
/// </summary>
public static class ContextEntropy
{
    public const double UndeterminedShare = 0.1;

    /// <summary>Share of the most-probed context length's targets that a context length needs to enter the default fit range.</summary>
    public const double ProbeFitShare = 0.2;

    /// <summary>
    /// H_n = the mean loss of the probe's targets at context length n. Every n has its own sample, so the mean needs no
    /// correction for position; the bootstrap resamples documents (a document's targets at every n together).
    /// </summary>
    /// <param name="fitLengths">The context lengths fitted; null: those with at least <see cref="ProbeFitShare"/> of the most-probed length's targets.</param>
    /// <returns>null when fewer than three probed context lengths are in the fit range.</returns>
    public static ContextEntropyResult? MeasureProbe(IReadOnlyList<ProbeLoss> targets, (int First, int Last)? fitLengths, int resamples, int seed)
    {
        if (targets.Count == 0)
            return null;
        var documents = targets.Select(t => t.Document).Distinct().Order().Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);
        int lengths = targets.Max(t => t.ContextLength) + 1;
        // Per context length, each document's loss sum and count: a resample only reweights these.
        var cells = targets.GroupBy(t => (t.ContextLength, Doc: documents[t.Document]))
            .Select(g => (g.Key.ContextLength, g.Key.Doc, Sum: g.Sum(t => (double)t.Loss), Count: g.Count())).ToArray();
        (double[] Mean, long[] Tokens) Mean(int[]? weights)
        {
            var sums = new double[lengths];
            var counts = new long[lengths];
            foreach (var c in cells)
            {
                int w = weights?[c.Doc] ?? 1;
                sums[c.ContextLength] += w * c.Sum;
                counts[c.ContextLength] += (long)w * c.Count;
            }
            return (sums.Select((s, n) => counts[n] > 0 ? s / counts[n] : double.NaN).ToArray(), counts);
        }
        var (mean, tokens) = Mean(null);
        long most = tokens.Max();
        var fitted = Enumerable.Range(1, lengths - 1).Where(n => tokens[n] > 0
            && (fitLengths is { } r ? n >= r.First && n <= r.Last : tokens[n] >= ProbeFitShare * most)).ToArray();
        return fitted.Length < 3 ? null : Result(mean, tokens, fitted, documents.Count, w => Mean(w), resamples, seed);
    }

    /// <param name="documents">Per document, loss by position (NaN where not scored).</param>
    /// <param name="fitPositions">The context lengths fitted; null: 1 to the last that a fifth of the documents reach.</param>
    /// <returns>null when fewer than three context lengths are in the fit range.</returns>
    public static ContextEntropyResult? Measure(IReadOnlyList<float[]> documents, (int First, int Last)? fitPositions, int resamples, int seed)
    {
        int positions = documents.Select(d => d.Length).DefaultIfEmpty(0).Max();
        var (mean, tokens) = Mean(documents, positions, null);
        int reached = Math.Max(1, (int)Math.Ceiling(0.2 * documents.Count));
        var (first, last) = fitPositions ?? (1, Enumerable.Range(1, Math.Max(0, positions - 1)).Where(n => tokens[n] >= reached).DefaultIfEmpty(0).Max());
        last = Math.Min(last, positions - 1);
        if (last - first < 2)
            return null;
        var fitted = Enumerable.Range(first, last - first + 1).ToArray();
        return Result(mean, tokens, fitted, documents.Count, w => Mean(documents, positions, w), resamples, seed);
    }

    /// <summary>The fit over <paramref name="fitted"/> context lengths, and its bootstrap over documents (<paramref name="resampled"/>: H_n and counts under document multiplicities).</summary>
    private static ContextEntropyResult Result(double[] mean, long[] tokens, int[] fitted, int documents, Func<int[], (double[] Mean, long[] Tokens)> resampled, int resamples, int seed)
    {
        EntropyDecayFit Fit(double[] h, long[] count) =>
            EntropyDecay.Fit(fitted, fitted.Select(n => h[n]).ToArray(), fitted.Select(n => (double)count[n]).ToArray());
        var fit = Fit(mean, tokens);
        var draws = BootstrapDraws.Of(documents, w =>
        {
            var (m, c) = resampled(w);
            return Fit(m, c) is { Identified: true } f ? f.Gamma : double.NaN;
        }, resamples, seed);
        int failed = draws.Count(d => !double.IsFinite(d));
        string? undetermined = fit.Undetermined ?? (failed > UndeterminedShare * draws.Length
            ? $"γ = {fit.Gamma:0.###} on all documents, but {failed} of {draws.Length} resamples of the documents do not determine it"
            : null);
        return new ContextEntropyResult(mean, tokens, fitted[0], fitted[^1], fit, draws, undetermined);
    }

    private const int Sweeps = 12;

    /// <summary>
    /// H_n over documents with multiplicities, with each document's own level removed: loss(d, n) = u_d + H_n + noise, fitted by
    /// alternating means (u_d centred on the token-weighted mean), so that the documents that end early, and the long ones that
    /// alone reach large n, do not bend H_n by being easier or harder as a whole.
    /// </summary>
    private static (double[] Mean, long[] Tokens) Mean(IReadOnlyList<float[]> documents, int positions, int[]? weights)
    {
        var counts = new long[positions];
        var level = new double[documents.Count];
        var tokens = new int[documents.Count];
        long total = 0;
        for (int d = 0; d < documents.Count; d++)
            if ((weights?[d] ?? 1) > 0)
                foreach (float loss in documents[d].AsSpan(1))
                    if (!float.IsNaN(loss))
                        tokens[d]++;
        var h = new double[positions];
        for (int sweep = 0; sweep < Sweeps; sweep++)
        {
            var sums = new double[positions];
            Array.Clear(counts);
            for (int d = 0; d < documents.Count; d++)
            {
                int w = weights?[d] ?? 1;
                var losses = documents[d];
                if (w == 0)
                    continue;
                for (int n = 1; n < Math.Min(positions, losses.Length); n++)
                    if (!float.IsNaN(losses[n]))
                    {
                        sums[n] += w * (losses[n] - level[d]);
                        counts[n] += w;
                    }
            }
            for (int n = 0; n < positions; n++)
                h[n] = counts[n] > 0 ? sums[n] / counts[n] : double.NaN;
            double centre = 0;
            total = 0;
            for (int d = 0; d < documents.Count; d++)
            {
                int w = weights?[d] ?? 1;
                if (w == 0 || tokens[d] == 0)
                    continue;
                var losses = documents[d];
                double s = 0;
                for (int n = 1; n < Math.Min(positions, losses.Length); n++)
                    if (!float.IsNaN(losses[n]))
                        s += losses[n] - h[n];
                level[d] = s / tokens[d];
                centre += (double)w * tokens[d] * level[d];
                total += (long)w * tokens[d];
            }
            for (int d = 0; d < documents.Count; d++)
                level[d] -= centre / total;
        }
        return (h, counts);
    }
}
