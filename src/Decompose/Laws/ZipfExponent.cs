using QuantaProbe.Decompose.PowerLaw;

namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// The Zipf exponent of token-type frequencies (truncated-Zipf MLE over the types that occur) with an interval from half-samples
/// of the documents (<see cref="HalfSampling"/>), so the words a document repeats move together. A bootstrap with replacement
/// would bias it: the ~37% of documents it leaves out take their rare types with them, shrinking the support the MLE is
/// truncated to, and on the demo corpus every draw fell below the estimate.
/// </summary>
public static class ZipfExponent
{
    /// <param name="documents">Per document, the token types it contains and how often each occurs.</param>
    /// <returns>The exponent and its 95% percentile interval; null when fewer than two types occur.</returns>
    public static (double Value, double Low, double High)? Of(IReadOnlyList<(int[] Types, int[] Counts)> documents, int types, int resamples, int seed)
    {
        double Exponent(int[]? weights)
        {
            var frequency = new long[types];
            for (int d = 0; d < documents.Count; d++)
            {
                int w = weights?[d] ?? 1;
                if (w == 0)
                    continue;
                var (t, c) = documents[d];
                for (int i = 0; i < t.Length; i++)
                    frequency[t[i]] += (long)w * c[i];
            }
            var sorted = frequency.Where(f => f > 0).OrderDescending().Select(f => (int)Math.Min(f, int.MaxValue)).ToArray();
            return sorted.Length >= 2 ? TruncatedZipfMle.Exponent(sorted) : double.NaN;
        }
        double value = Exponent(null);
        if (!double.IsFinite(value))
            return null;
        var (low, high) = BootstrapDraws.Interval(HalfSampling.Draws(documents.Count, value, w => Exponent(w), resamples, seed));
        return (value, low, high);
    }
}
