using System.Buffers;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>
/// Finds added tokens in text the way HF tokenizers does: leftmost match first, and the longest
/// token among those that match there.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly SearchValues<string>? _any;
    private readonly (string Content, int Id)[] _longestFirst;

    public AddedTokenSplitter(IEnumerable<(string Content, int Id)> tokens)
    {
        _longestFirst = tokens.DistinctBy(t => t.Content).OrderByDescending(t => t.Content.Length).ToArray();
        if (_longestFirst.Length > 0)
            _any = SearchValues.Create(_longestFirst.Select(t => t.Content).ToArray(), StringComparison.Ordinal);
    }

    public bool IsEmpty => _any is null;

    /// <summary>The next added token at or after <paramref name="start"/>, or index -1.</summary>
    public (int Index, int Length, int Id) Next(ReadOnlySpan<char> text, int start)
    {
        if (_any is null)
            return (-1, 0, 0);
        int found = text[start..].IndexOfAny(_any);
        if (found < 0)
            return (-1, 0, 0);
        int at = start + found;
        var rest = text[at..];
        foreach (var (content, id) in _longestFirst)
            if (rest.StartsWith(content, StringComparison.Ordinal))
                return (at, content.Length, id);
        throw new InvalidOperationException("SearchValues matched a token that no candidate starts with");
    }
}
