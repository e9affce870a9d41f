using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>
/// The GPT-2 / ByteLevel pre-tokenizer of HF tokenizers, i.e. the regex
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>,
/// written as a scanner over code points. .NET's Regex classifies UTF-16 code units, so a letter
/// outside the BMP (a surrogate pair) would land in the punctuation class there; HF works on code
/// points, and so does this.
/// </summary>
internal sealed class Gpt2PreTokenizer : PreTokenizer
{
    private enum CharClass : byte { Letter, Number, Space, Other }

    public static readonly Gpt2PreTokenizer Instance = new();

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
    {
        if (string.IsNullOrEmpty(text))
            yield break;
        for (int start = 0; start < text.Length;)
        {
            int end = NextEnd(text, start);
            yield return (start, end - start);
            start = end;
        }
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text)
    {
        var result = new List<(int, int)>();
        for (int start = 0; start < text.Length;)
        {
            int end = NextEnd(text, start);
            result.Add((start, end - start));
            start = end;
        }
        return result;
    }

    /// <summary>The end (exclusive) of the pre-token that starts at <paramref name="i"/>.</summary>
    public static int NextEnd(ReadOnlySpan<char> text, int i)
    {
        char c = text[i];
        if (c == '\'' && i + 1 < text.Length)
        {
            char n = text[i + 1];
            if (n is 's' or 't' or 'm' or 'd')
                return i + 2;
            if (i + 2 < text.Length && ((n is 'r' or 'v' && text[i + 2] == 'e') || (n == 'l' && text[i + 2] == 'l')))
                return i + 3;
        }

        int j = c == ' ' && i + 1 < text.Length ? i + 1 : i;
        var cls = Classify(text, j, out int width);
        if (cls != CharClass.Space)
            return Run(text, j + width, cls);

        // Whitespace (a ' ' followed by whitespace lands here too).
        int k = i;
        while (k < text.Length && Classify(text, k, out width) == CharClass.Space)
            k += width;
        if (k == text.Length || k - i == 1)
            return k;
        return k - 1; // \s+(?!\S): leave the last whitespace (always one UTF-16 unit) to the next token
    }

    private static int Run(ReadOnlySpan<char> text, int k, CharClass cls)
    {
        while (k < text.Length && Classify(text, k, out int width) == cls)
            k += width;
        return k;
    }

    private static CharClass Classify(ReadOnlySpan<char> text, int i, out int width)
    {
        char c = text[i];
        if (c < 0x80)
        {
            width = 1;
            if ((uint)((c | 0x20) - 'a') <= 'z' - 'a') return CharClass.Letter;
            if ((uint)(c - '0') <= 9) return CharClass.Number;
            if (c == ' ' || (uint)(c - '\t') <= '\r' - '\t') return CharClass.Space;
            return CharClass.Other;
        }
        if (Rune.DecodeFromUtf16(text[i..], out var rune, out width) != System.Buffers.OperationStatus.Done)
            return CharClass.Other; // a lone surrogate: HF would see U+FFFD, which is a symbol
        if (Rune.IsWhiteSpace(rune)) return CharClass.Space;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
            _ => CharClass.Other,
        };
    }
}
