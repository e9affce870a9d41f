using QuantaProbe.Core;

namespace QuantaProbe.Infer;

/// <summary>A target of the probe: position <see cref="Pos"/> of the document at index <see cref="Document"/> of the run's documents.</summary>
public readonly record struct ProbeTarget(int Document, int Pos);

/// <summary>
/// Draws the probe's targets for one context length n: a seeded uniform sample without replacement of the tokens that have at
/// least n tokens of their own document before them (positions n … length − 1), all of them when there are fewer; in
/// document then position order. Every token has one seeded random key (a hash of the seed, its doc_id and its position)
/// and each n takes the eligible tokens of smallest key: a uniform sample for each n, and paired across n — a target of n is
/// a target of every longer n it is eligible for — so differences between context lengths are measured mostly on the same
/// tokens, and adding a context length changes no other's targets.
/// </summary>
public static class ContextTargetSampler
{
    public static ProbeTarget[] Sample(IReadOnlyList<int> documentLengths, int contextLength, int count, int seed) =>
        Sample(documentLengths, Enumerable.Range(0, documentLengths.Count).Select(d => (long)d).ToArray(), contextLength, count, seed);

    /// <param name="documentIds">Each document's doc_id, which its tokens' keys hash.</param>
    public static ProbeTarget[] Sample(IReadOnlyList<int> documentLengths, IReadOnlyList<long> documentIds, int contextLength, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // A max-heap of the count smallest keys seen (PriorityQueue is a min-heap: priorities negated by ~).
        var kept = new PriorityQueue<ProbeTarget, ulong>(count + 1);
        for (int d = 0; d < documentLengths.Count; d++)
            for (int pos = contextLength; pos < documentLengths[d]; pos++)
            {
                ulong key = Key(seed, documentIds[d], pos);
                if (kept.Count < count)
                    kept.Enqueue(new ProbeTarget(d, pos), ~key);
                else if (kept.TryPeek(out _, out ulong largest) && key < ~largest)
                    kept.EnqueueDequeue(new ProbeTarget(d, pos), ~key);
            }
        return kept.UnorderedItems.Select(x => x.Element).OrderBy(t => t.Document).ThenBy(t => t.Pos).ToArray();
    }

    /// <summary>SplitMix64's step (the increment, then the finaliser) chained over the seed, doc_id and position: a uniform 64-bit key, the same on every machine.</summary>
    private static ulong Key(int seed, long documentId, int pos) => Step(Step(Step((ulong)seed) ^ (ulong)documentId) ^ (ulong)pos);

    private static ulong Step(ulong z) => SplitMix64.Mix(unchecked(z + SplitMix64.Golden));
}
