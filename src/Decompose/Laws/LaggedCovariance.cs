namespace QuantaProbe.Decompose.Laws;

/// <summary>
/// The lagged co-occurrence covariance C_n(a,b) = P(x_t=a, x_{t+n}=b) − P(a)·P(b) of a corpus, kept sparse: the joint
/// P_n as compressed rows over the token types present, the marginals P(a) (first of the pair) and P(b) (second) as
/// its row and column sums, so that C_n·v = P_n·v − P(a)(P(b)·v) is a sparse product and a rank-one correction; no
/// V×V matrix is formed. Pairs are taken within documents; each document counts with its bootstrap multiplicity.
/// </summary>
public sealed class LaggedCovariance
{
    private readonly int[] _rowStart;
    private readonly int[] _columns;
    private readonly double[] _values;
    private readonly double[] _left;
    private readonly double[] _right;

    private LaggedCovariance(int[] rowStart, int[] columns, double[] values, double[] left, double[] right) =>
        (_rowStart, _columns, _values, _left, _right) = (rowStart, columns, values, left, right);

    /// <summary>Types (rows and columns), numbered densely.</summary>
    public int Types => _left.Length;

    /// <summary>Stored joint entries.</summary>
    public int Entries => _values.Length;

    /// <param name="documents">Each document's tokens as dense type indices in [0, types).</param>
    /// <param name="weights">Each document's multiplicity (null: 1 each).</param>
    /// <returns>null when no document has two tokens n apart.</returns>
    public static LaggedCovariance? Build(IReadOnlyList<int[]> documents, int types, int lag, int[]? weights = null)
    {
        long pairs = 0;
        for (int d = 0; d < documents.Count; d++)
            if ((weights?[d] ?? 1) > 0 && documents[d].Length > lag)
                pairs += documents[d].Length - lag;
        if (pairs == 0)
            return null;
        var keys = new long[pairs];
        var counts = new int[pairs];
        long at = 0;
        for (int d = 0; d < documents.Count; d++)
        {
            int w = weights?[d] ?? 1;
            var doc = documents[d];
            if (w == 0 || doc.Length <= lag)
                continue;
            for (int t = 0; t + lag < doc.Length; t++, at++)
            {
                keys[at] = (long)doc[t] * types + doc[t + lag];
                counts[at] = w;
            }
        }
        Array.Sort(keys, counts);
        double total = 0;
        foreach (int c in counts)
            total += c;
        var rowStart = new int[types + 1];
        var columns = new List<int>();
        var values = new List<double>();
        var left = new double[types];
        var right = new double[types];
        for (long i = 0; i < pairs;)
        {
            long key = keys[i];
            double sum = 0;
            for (; i < pairs && keys[i] == key; i++)
                sum += counts[i];
            int a = (int)(key / types), b = (int)(key % types);
            double p = sum / total;
            rowStart[a + 1]++;
            columns.Add(b);
            values.Add(p);
            left[a] += p;
            right[b] += p;
        }
        for (int a = 0; a < types; a++)
            rowStart[a + 1] += rowStart[a];
        return new LaggedCovariance(rowStart, columns.ToArray(), values.ToArray(), left, right);
    }

    /// <summary>result = C·v.</summary>
    public void Multiply(ReadOnlySpan<double> v, Span<double> result)
    {
        double rv = Dot(_right, v);
        for (int a = 0; a < _left.Length; a++)
        {
            double s = 0;
            for (int k = _rowStart[a]; k < _rowStart[a + 1]; k++)
                s += _values[k] * v[_columns[k]];
            result[a] = s - _left[a] * rv;
        }
    }

    /// <summary>result = Cᵀ·u.</summary>
    public void MultiplyTransposed(ReadOnlySpan<double> u, Span<double> result)
    {
        double lu = Dot(_left, u);
        for (int b = 0; b < _right.Length; b++)
            result[b] = -_right[b] * lu;
        for (int a = 0; a < _left.Length; a++)
            for (int k = _rowStart[a]; k < _rowStart[a + 1]; k++)
                result[_columns[k]] += _values[k] * u[a];
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => System.Numerics.Tensors.TensorPrimitives.Dot(x, y);
}
