using System.Globalization;

namespace QuantaProbe.Core.Hub;

/// <summary>
/// The shell's brace expansion, for naming a model suite compactly: <c>pythia-{70m,160m}</c> →
/// pythia-70m, pythia-160m; <c>step{1000..3000..1000}</c> → step1000, step2000, step3000 (an integer
/// range, its step optional); groups multiply left to right and nest. Malformed braces are a
/// <see cref="FormatException"/> saying what is wrong.
/// </summary>
public static class BraceExpansion
{
    /// <summary>Expansions beyond this many are refused: a typo should not ask for millions of models.</summary>
    public const int MaxExpansions = 100_000;

    public static IReadOnlyList<string> Expand(string pattern)
    {
        var result = new List<string>();
        ExpandInto(pattern, result);
        return result;
    }

    private static void ExpandInto(string pattern, List<string> result)
    {
        int open = pattern.IndexOf('{');
        if (open < 0)
        {
            if (pattern.Contains('}'))
                throw new FormatException($"'}}' without its '{{' in {pattern}");
            if (result.Count >= MaxExpansions)
                throw new FormatException($"expands to more than {MaxExpansions:N0} names");
            result.Add(pattern);
            return;
        }
        if (pattern.IndexOf('}') is int stray and >= 0 && stray < open)
            throw new FormatException($"'}}' without its '{{' in {pattern}");
        int depth = 0, close = -1;
        var commas = new List<int>();
        for (int i = open; i < pattern.Length && close < 0; i++)
        {
            switch (pattern[i])
            {
                case '{': depth++; break;
                case '}': if (--depth == 0) close = i; break;
                case ',' when depth == 1: commas.Add(i); break;
            }
        }
        if (close < 0)
            throw new FormatException($"'{{' without its '}}' in {pattern}");
        string prefix = pattern[..open], suffix = pattern[(close + 1)..];
        foreach (string alternative in Alternatives(pattern, open, close, commas))
            ExpandInto(prefix + alternative + suffix, result);
    }

    private static IEnumerable<string> Alternatives(string pattern, int open, int close, List<int> commas)
    {
        if (commas.Count > 0)
        {
            int start = open + 1;
            var parts = new List<string>();
            foreach (int comma in commas.Append(close))
            {
                parts.Add(pattern[start..comma]);
                start = comma + 1;
            }
            return parts;
        }
        string body = pattern[(open + 1)..close];
        return Range(body) ?? throw new FormatException($"{{{body}}} is neither a list (a,b) nor a range (1000..3000 or 1000..143000..1000)");
    }

    private static IEnumerable<string>? Range(string body)
    {
        var ends = body.Split("..");
        if (ends.Length is < 2 or > 3 || !ends.All(e => long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return null;
        long from = long.Parse(ends[0], CultureInfo.InvariantCulture), to = long.Parse(ends[1], CultureInfo.InvariantCulture);
        long by = ends.Length == 3 ? long.Parse(ends[2], CultureInfo.InvariantCulture) : 1;
        if (by <= 0)
            throw new FormatException($"{{{body}}} needs a step of at least 1");
        if (Math.Abs(to - from) / by >= MaxExpansions)
            throw new FormatException($"{{{body}}} expands to more than {MaxExpansions:N0} names");
        return RangeValues(from, to, by);
    }

    private static IEnumerable<string> RangeValues(long from, long to, long by)
    {
        long step = from <= to ? by : -by;
        for (long v = from; from <= to ? v <= to : v >= to; v += step)
            yield return v.ToString(CultureInfo.InvariantCulture);
    }
}
