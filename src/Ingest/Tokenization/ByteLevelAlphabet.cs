namespace QuantaProbe.Ingest.Tokenization;

/// <summary>GPT-2's bytes_to_unicode: the printable character that stands for each byte in a byte-level vocabulary.</summary>
internal static class ByteLevelAlphabet
{
    public static readonly char[] CharOf = Build();

    private static char[] Build()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
