using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Tests.Decompose;

[Trait("tier", "slow")]
public class CorrelationDecayTests
{
    /// <summary>
    /// A two-state source whose state is constant over blocks of a stationary renewal process built so that the
    /// probability of t and t+n sharing a block is exactly ρ·n^−β (n ≥ 1); each block's state is a fair coin and
    /// state s emits one of 10 tokens of its own. Then C_n = (ρ n^−β / 400)·(±1 blocks), so σ₁(C_n) = ρ n^−β / 20.
    /// </summary>
    private static List<int[]> Corpus(double beta, long tokens, int documentLength, int seed)
    {
        const double Rho = 0.5;
        var random = new Random(seed);
        // P(L > m) = 1 for m = 0, (ρ/(1−ρ))·(m^−β − (m+1)^−β) for m ≥ 1.
        double Tail(int m) => m == 0 ? 1 : Rho / (1 - Rho) * (Math.Pow(m, -beta) - Math.Pow(m + 1, -beta));
        int Length()
        {
            double u = random.NextDouble();
            int m = 1;
            while (Tail(m) >= u && m < 1_000_000)
                m++;
            return m;
        }
        var stream = new int[tokens];
        for (long t = 0; t < tokens;)
        {
            int state = random.Next(2), length = Length();
            for (int i = 0; i < length && t < tokens; i++, t++)
                stream[t] = state * 10 + random.Next(10);
        }
        return Enumerable.Range(0, (int)(tokens / documentLength)).Select(d => stream[(d * documentLength)..((d + 1) * documentLength)]).ToList();
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void A_corpus_with_a_known_correlation_decay_gives_its_beta(double beta)
    {
        var docs = Corpus(beta, 400_000, 1000, 1);
        var result = CorrelationDecay.Measure(docs, new CorpusExponentOptions { MaxLag = 16, BetaLags = (1, 16), Resamples = 20 }, 0);
        Assert.Equal(20, result.Types);
        Assert.True(Math.Abs(result.Beta - beta) <= 0.05, $"β = {result.Beta}, expected {beta}; σ = {string.Join(", ", result.TopSingularValue.Select(s => s.ToString("G3")))}");
        Assert.Equal(0.5 / 20, result.TopSingularValue[0], 0.1 * 0.5 / 20);
        var (low, high) = BootstrapDraws.Interval(result.BetaDraws);
        Assert.True(low < result.Beta && result.Beta < high, $"β = {result.Beta} outside its interval [{low}, {high}]");
        // Half-samples do not duplicate documents, so the interval is not shifted away from the estimate. For β = 0.9 it covers
        // the truth; for β = 0.5 (long memory) the estimate is about 0.02 high, by more than its interval's half-width, since the
        // sample marginals subtracted from every C_n carry the slow-decaying correlations too (a bias no resampling removes).
        if (beta > 0.75)
            Assert.True(low <= beta && beta <= high, $"[{low}, {high}] does not cover β = {beta} (estimate {result.Beta})");
        else
            Assert.True(low - 0.05 <= beta && beta <= high, $"[{low}, {high}] is more than 0.05 from β = {beta} (estimate {result.Beta})");
        Assert.True(result.NoiseFloor < result.TopSingularValue[^1]);
    }

    [Fact]
    public void The_top_singular_value_matches_a_dense_decomposition()
    {
        var random = new Random(5);
        var docs = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 200).Select(_ => random.Next(random.Next(2) == 0 ? 8 : 40)).ToArray()).ToList();
        var c = LaggedCovariance.Build(docs, 40, 3)!;
        var dense = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(40, 40);
        for (int j = 0; j < 40; j++)
        {
            var e = new double[40];
            e[j] = 1;
            var column = new double[40];
            c.Multiply(e, column);
            for (int i = 0; i < 40; i++)
                dense[i, j] = column[i];
        }
        // Independently: the joint and marginals counted directly.
        var joint = new double[40, 40];
        double pairs = docs.Sum(d => d.Length - 3);
        foreach (var d in docs)
            for (int t = 0; t + 3 < d.Length; t++)
                joint[d[t], d[t + 3]] += 1 / pairs;
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 40; j++)
            {
                double left = Enumerable.Range(0, 40).Sum(b => joint[i, b]), right = Enumerable.Range(0, 40).Sum(a => joint[a, j]);
                Assert.Equal(joint[i, j] - left * right, dense[i, j], 12);
            }
        Assert.Equal(dense.Svd(false).S[0], TopSingularValue.Of(c, new double[40]), 8);
    }
}
