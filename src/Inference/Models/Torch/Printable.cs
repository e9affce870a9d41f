using System.Text;

namespace QuantaProbe.Models.Torch;

/// <summary>A string from a file, made safe for a one-line message: control characters escaped, long ones cut.</summary>
internal static class Printable
{
    private const int MaxLength = 120;

    public static string Of(string text)
    {
        var result = new StringBuilder(Math.Min(text.Length, MaxLength + 1));
        foreach (char c in text.Length > MaxLength ? text[..MaxLength] : text)
            result.Append(char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c);
        if (text.Length > MaxLength)
            result.Append('…');
        return result.ToString();
    }
}
