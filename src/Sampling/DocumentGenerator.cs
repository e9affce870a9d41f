using QuantaProbe.Core;
using QuantaProbe.Models.Runtime;

namespace QuantaProbe.Sampling;

/// <summary>
/// Generates documents a batch at a time, one ONNX run per step for the batch's unfinished rows (no
/// key/value cache: each step runs the whole prefix, fine for small models and short documents).
/// Document d draws from its own random stream (seed, d), so its tokens do not depend on which
/// documents share its batch.
/// </summary>
internal sealed class DocumentGenerator(NextLogitsRunner runner, NucleusSampler sampler, int[] context, int endOfText, int maxTokens, long seed)
{
    /// <summary>One document's generated ids (context and &lt;|endoftext|&gt; excluded).</summary>
    public readonly record struct Generated(int[] Ids, bool EndedByEndOfText);

    /// <summary>Documents first … first+count−1; <paramref name="tokensDone"/> hears of each step's new tokens.</summary>
    public Generated[] Generate(int first, int count, CancellationToken cancel, Action<int>? tokensDone = null)
    {
        var buffers = new int[count][];
        var lengths = new int[count];
        var randoms = new SplitMix64[count];
        var ended = new bool[count];
        for (int i = 0; i < count; i++)
        {
            buffers[i] = new int[context.Length + maxTokens];
            context.CopyTo(buffers[i], 0);
            lengths[i] = context.Length;
            randoms[i] = SplitMix64.For(seed, first + i);
        }

        var active = Enumerable.Range(0, count).ToList();
        var logits = new float[count * runner.VocabSize];
        var sequences = new ReadOnlyMemory<int>[count];
        while (active.Count > 0)
        {
            cancel.ThrowIfCancellationRequested();
            for (int a = 0; a < active.Count; a++)
                sequences[a] = buffers[active[a]].AsMemory(0, lengths[active[a]]);
            runner.Run(new ArraySegment<ReadOnlyMemory<int>>(sequences, 0, active.Count), logits);

            int stillActive = 0, appended = 0;
            for (int a = 0; a < active.Count; a++)
            {
                int row = active[a];
                int token = sampler.Sample(logits.AsSpan(a * runner.VocabSize, runner.VocabSize), ref randoms[row]);
                if (token == endOfText)
                {
                    ended[row] = true;
                    continue;
                }
                buffers[row][lengths[row]++] = token;
                appended++;
                if (lengths[row] - context.Length < maxTokens)
                    active[stillActive++] = row;
            }
            tokensDone?.Invoke(appended);
            active.RemoveRange(stillActive, active.Count - stillActive);
        }

        return Enumerable.Range(0, count)
            .Select(i => new Generated(buffers[i][context.Length..lengths[i]], ended[i]))
            .ToArray();
    }
}
