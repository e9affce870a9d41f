using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// Learning order's share of the losses pass: each token type's corpus frequency, each model's loss summed per
/// predicted token type, and, token by token, the largest size's loss minus the next size down's (for inverse scaling).
/// </summary>
internal sealed class ItemLossCollector(string largest, string? next) : ILossesConsumer
{
    private readonly Dictionary<long, int[]> _tokens = [];
    private readonly Dictionary<string, (double[] Sums, long[] Counts)> _byModel = new(StringComparer.Ordinal);
    private long[] _frequency = new long[1024];
    private LossesPart? _pending;
    private string? _pendingModel;

    /// <summary>Per scored token of the two largest sizes: its type, the loss increase from the next size down to the largest, where it is.</summary>
    public List<(int Token, float Increase, long DocId, int Pos)> Increases { get; } = [];

    /// <summary>Per document: the token types it contains and their counts (for the Zipf exponent's bootstrap over documents).</summary>
    public List<(int[] Types, int[] Counts)> DocumentTypes { get; } = [];

    public int Vocabulary => _frequency.Length;
    public long Frequency(int token) => _frequency[token];
    public (double[] Sums, long[] Counts) Of(string model) => Grown(_byModel[model]);

    public void BeginPart(long part, IReadOnlyList<DocumentTokens> tokens)
    {
        _tokens.Clear();
        _pending = null;
        foreach (var doc in tokens)
        {
            _tokens[doc.DocId] = doc.TokenIds;
            foreach (int t in doc.TokenIds)
            {
                Grow(t);
                _frequency[t]++;
            }
            var types = doc.TokenIds.CountBy(t => t).OrderBy(p => p.Key).ToArray();
            DocumentTypes.Add((types.Select(p => p.Key).ToArray(), types.Select(p => p.Value).ToArray()));
        }
    }

    public void Add(FamilyModel model, LossesPart part, string path)
    {
        var (sums, counts) = _byModel.TryGetValue(model.Name, out var a) ? Grown(a) : (new double[_frequency.Length], new long[_frequency.Length]);
        for (int r = 0; r < part.Losses.Length; r++)
        {
            int token = TokenAt(part, r, path);
            sums[token] += part.Losses[r];
            counts[token]++;
        }
        _byModel[model.Name] = (sums, counts);
        if (model.Name != largest && model.Name != next)
            return;
        if (_pending is null || _pendingModel == model.Name)
        {
            (_pending, _pendingModel) = (part, model.Name);
            return;
        }
        var (large, small) = model.Name == largest ? (part, _pending) : (_pending, part);
        if (!large.DocIds.AsSpan().SequenceEqual(small.DocIds) || !large.Positions.AsSpan().SequenceEqual(small.Positions))
            throw new QuantaException($"{path}: its tokens differ from {_pendingModel}'s part of the same index; re-run `quanta infer`");
        for (int r = 0; r < large.Losses.Length; r++)
            Increases.Add((TokenAt(large, r, path), large.Losses[r] - small.Losses[r], large.DocIds[r], large.Positions[r]));
        _pending = null;
    }

    private int TokenAt(LossesPart part, int row, string path) =>
        _tokens.TryGetValue(part.DocIds[row], out var ids) && part.Positions[row] >= 1 && part.Positions[row] < ids.Length ? ids[part.Positions[row]]
            : throw new QuantaException($"{path}: doc_id {part.DocIds[row]} pos {part.Positions[row]} is not a token of the ingested part; the losses belong to another ingest, re-run `quanta infer`");

    private void Grow(int token)
    {
        if (token < _frequency.Length)
            return;
        Array.Resize(ref _frequency, Math.Max(token + 1, _frequency.Length * 2));
    }

    private (double[], long[]) Grown((double[] Sums, long[] Counts) a)
    {
        var (sums, counts) = a;
        if (sums.Length < _frequency.Length)
        {
            Array.Resize(ref sums, _frequency.Length);
            Array.Resize(ref counts, _frequency.Length);
        }
        return (sums, counts);
    }
}
