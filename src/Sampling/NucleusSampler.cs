using QuantaProbe.Core;

namespace QuantaProbe.Sampling;

/// <summary>
/// Draws a token from next-token logits: softmax(logits / temperature) over the allowed ids, cut to
/// the nucleus (top-p: the smallest set of most probable tokens whose mass reaches p; ties broken
/// by the lower id) and renormalised. One instance per thread: it keeps scratch buffers.
/// </summary>
internal sealed class NucleusSampler
{
    // Cumulative sums drift by rounding; a nucleus whose mass is p to this relative precision counts as reaching it.
    private const double MassTolerance = 1e-12;

    private readonly bool[] _allowed;
    private readonly string _model;
    private readonly double[] _weights;
    private Candidate[] _candidates;

    public double Temperature { get; }
    public double TopP { get; }

    /// <param name="allowed">allowed[id]: whether id may be drawn (its length is the vocabulary size).</param>
    /// <param name="model">The model the logits come from, for the error a non-finite logit gives.</param>
    public NucleusSampler(double temperature, double topP, bool[] allowed, string model = "the model")
    {
        Validate(temperature, topP);
        if (!allowed.Contains(true))
            throw new ArgumentException("no id is allowed", nameof(allowed));
        Temperature = temperature;
        TopP = topP;
        _allowed = allowed;
        _model = model;
        _weights = new double[allowed.Length];
        _candidates = new Candidate[256];
    }

    public int VocabSize => _allowed.Length;

    public static void Validate(double temperature, double topP)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new QuantaException($"--temperature {temperature}: must be a positive number (near 0 is almost greedy, 1 samples the model's own distribution)");
        if (!(topP > 0 && topP <= 1))
            throw new QuantaException($"--top-p {topP}: must be in (0, 1] (1 keeps every token)");
    }

    /// <summary>Draws one id from <paramref name="logits"/> [V].</summary>
    public int Sample(ReadOnlySpan<float> logits, ref SplitMix64 random)
    {
        var (count, mass) = Nucleus(logits);
        double u = random.NextDouble() * mass;
        double cumulative = 0;
        for (int i = 0; i < count; i++)
        {
            cumulative += _candidates[i].Weight;
            if (u < cumulative)
                return _candidates[i].Id;
        }
        return _candidates[count - 1].Id;
    }

    /// <summary>The probabilities <see cref="Sample"/> draws from: 0 outside the nucleus, summing to 1.</summary>
    public double[] Distribution(ReadOnlySpan<float> logits)
    {
        var (count, mass) = Nucleus(logits);
        var p = new double[VocabSize];
        for (int i = 0; i < count; i++)
            p[_candidates[i].Id] = _candidates[i].Weight / mass;
        return p;
    }

    /// <summary>Fills _candidates[..count] with the nucleus (by weight, or by id when top-p is 1) and returns its count and weight.</summary>
    private (int Count, double Mass) Nucleus(ReadOnlySpan<float> logits)
    {
        if (logits.Length != VocabSize)
            throw new ArgumentException($"{logits.Length} logits for a vocabulary of {VocabSize}", nameof(logits));
        double max = double.NegativeInfinity;
        for (int id = 0; id < logits.Length; id++)
        {
            if (!_allowed[id])
                continue;
            // A NaN or +∞ logit (a diverged checkpoint) would silently turn every draw into that token.
            if (float.IsNaN(logits[id]) || float.IsPositiveInfinity(logits[id]))
                throw NotFinite($"a {logits[id]} logit for token {id}");
            if (logits[id] > max)
                max = logits[id];
        }
        if (!double.IsFinite(max))
            throw NotFinite($"every allowed logit is {max}");

        // Weights relative to the largest (which gets exactly 1): the scale cancels in every ratio below.
        double total = 0;
        for (int id = 0; id < logits.Length; id++)
            total += _weights[id] = _allowed[id] ? Math.Exp((logits[id] - max) / Temperature) : 0;

        if (TopP >= 1)
            return (Collect(0), total);

        // The nucleus is a prefix of the ids sorted by weight, so it lies within any such prefix whose
        // mass reaches p: sort only the ids above a threshold, lowering it until their mass is enough.
        double target = TopP * total * (1 - MassTolerance);
        for (double threshold = 1e-4; ; threshold = threshold > 1e-300 ? threshold * 1e-4 : 0)
        {
            int count = Collect(threshold);
            double mass = 0;
            for (int i = 0; i < count; i++)
                mass += _candidates[i].Weight;
            if (mass < target && threshold > 0)
                continue;
            _candidates.AsSpan(0, count).Sort();
            double kept = 0;
            for (int i = 0; i < count; i++)
            {
                kept += _candidates[i].Weight;
                if (kept >= target)
                    return (i + 1, kept);
            }
            return (count, kept);
        }
    }

    private QuantaException NotFinite(string what) =>
        new($"{_model}: produced {what}, so its weights are not finite (a diverged checkpoint?); sample from a checkpoint with finite weights");

    /// <summary>The allowed ids whose weight is positive and at least <paramref name="threshold"/>, in id order.</summary>
    private int Collect(double threshold)
    {
        int count = 0;
        for (int id = 0; id < _weights.Length; id++)
        {
            double w = _weights[id];
            if (w <= 0 || w < threshold)
                continue;
            if (count == _candidates.Length)
                Array.Resize(ref _candidates, _candidates.Length * 2);
            _candidates[count++] = new Candidate(id, w);
        }
        return count;
    }

    /// <summary>Sorts by weight descending, then id ascending: a total order, so the nucleus is unique.</summary>
    private readonly record struct Candidate(int Id, double Weight) : IComparable<Candidate>
    {
        public int CompareTo(Candidate other)
        {
            int byWeight = other.Weight.CompareTo(Weight);
            return byWeight != 0 ? byWeight : Id.CompareTo(other.Id);
        }
    }
}
