using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Seeded mutations of a safetensors file aimed at its header: numbers (offsets, shape entries)
/// set to edge values, dtypes swapped, JSON structure broken, the length field lying, the data truncated.
/// </summary>
internal sealed partial class SafetensorsHeaderMutator(byte[] original)
{
    private static readonly string[] DTypes = ["F32", "F16", "BF16", "F64", "I64", "I8", "U8", "BOOL", "F8_E4M3", "Q4", "", "f32"];
    private static readonly string[] Numbers = ["0", "1", "-1", "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "1e30", "1.5", "-0", "NaN", "99999999999999999999999", "\"7\"", "null", "[]", "{}"];
    private static readonly string[] Fragments = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\"__metadata__\":{},", "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"];

    private readonly int _headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(original));
    private string Header => Encoding.UTF8.GetString(original, 8, _headerLength);

    public (byte[] Bytes, string What) Mutate(Random random)
    {
        switch (random.Next(9))
        {
            case 0:
                return WithHeader(ReplaceMatch(NumberPattern(), random, Numbers[random.Next(Numbers.Length)], out var n), "number → " + n);
            case 1:
                return WithHeader(ReplaceMatch(NumberPattern(), random, (long.Parse(Pick(NumberPattern(), random)) + random.Next(-8, 9)).ToString(), out var m), "number nudged " + m);
            case 2:
                return WithHeader(ReplaceMatch(DTypePattern(), random, $"\"dtype\":\"{DTypes[random.Next(DTypes.Length)]}\"", out var d), "dtype → " + d);
            case 3:
            {
                var header = Header;
                int at = random.Next(header.Length);
                return WithHeader(header.Remove(at, Math.Min(header.Length - at, random.Next(1, 6))), "deleted text at " + at);
            }
            case 4:
            {
                var header = Header;
                int at = random.Next(header.Length + 1);
                string fragment = Fragments[random.Next(Fragments.Length)];
                return WithHeader(header.Insert(at, fragment), $"inserted {fragment} at {at}");
            }
            case 5:
            {
                var bytes = (byte[])original.Clone();
                ulong[] lies = [0, 1, 7, (ulong)_headerLength - 1, (ulong)_headerLength + 1, (ulong)bytes.Length, (ulong)bytes.Length - 8, ulong.MaxValue, long.MaxValue, 100_000_001, (ulong)random.NextInt64()];
                ulong lie = lies[random.Next(lies.Length)];
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, lie);
                return (bytes, "length field → " + lie);
            }
            case 6:
            {
                int keep = random.Next(2) == 0 ? random.Next(0, Math.Min(original.Length, 8 + _headerLength + 16)) : random.Next(original.Length);
                return (original[..keep], "truncated to " + keep);
            }
            case 7:
            {
                var bytes = (byte[])original.Clone();
                int at = 8 + random.Next(_headerLength);
                bytes[at] ^= (byte)(1 << random.Next(8));
                return (bytes, "bit flipped at " + at);
            }
            default:
                return WithHeader(ReplaceMatch(ShapePattern(), random, $"\"shape\":[{string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => Numbers[random.Next(8)]))}]", out var s), "shape → " + s);
        }
    }

    private (byte[], string) WithHeader(string header, string what)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + (original.Length - 8 - _headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        original.AsSpan(8 + _headerLength).CopyTo(bytes.AsSpan(8 + json.Length));
        return (bytes, what);
    }

    private string ReplaceMatch(Regex pattern, Random random, string replacement, out string description)
    {
        var header = Header;
        var matches = pattern.Matches(header);
        var match = matches[random.Next(matches.Count)];
        description = $"{match.Value} → {replacement}";
        return header[..match.Index] + replacement + header[(match.Index + match.Length)..];
    }

    private string Pick(Regex pattern, Random random)
    {
        var matches = pattern.Matches(Header);
        return matches[random.Next(matches.Count)].Value;
    }

    [GeneratedRegex("(?<![\\w.])\\d+(?![\\w.])")]
    private static partial Regex NumberPattern();

    [GeneratedRegex("\"dtype\"\\s*:\\s*\"[^\"]*\"")]
    private static partial Regex DTypePattern();

    [GeneratedRegex("\"shape\"\\s*:\\s*\\[[^\\]]*\\]")]
    private static partial Regex ShapePattern();
}
