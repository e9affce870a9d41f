namespace QuantaProbe.Toy.SparseParity;

/// <summary>The paper's measured numbers on multitask sparse parity (design/PAPER.md), to print beside ours.</summary>
public static class PaperReference
{
    /// <summary>α_N measured against α, read from the paper's figure.</summary>
    private static readonly (double Alpha, double AlphaN)[] MeasuredAlphaN =
        [(0.1, 0.23), (0.2, 0.28), (0.3, 0.34), (0.4, 0.38), (0.5, 0.45), (0.6, 0.50), (0.7, 0.57), (0.8, 0.61)];

    /// <summary>The paper's QDG envelope slope on the toy (true −1.4).</summary>
    public const double QdgEnvelopeSlope = -1.1;

    /// <summary>The paper's measured α_N at this α, interpolated linearly; null outside 0.1…0.8.</summary>
    public static double? AlphaN(double alpha)
    {
        for (int i = 0; i + 1 < MeasuredAlphaN.Length; i++)
        {
            var (a0, n0) = MeasuredAlphaN[i];
            var (a1, n1) = MeasuredAlphaN[i + 1];
            if (alpha >= a0 - 1e-12 && alpha <= a1 + 1e-12)
                return n0 + (n1 - n0) * (alpha - a0) / (a1 - a0);
        }
        return null;
    }
}
