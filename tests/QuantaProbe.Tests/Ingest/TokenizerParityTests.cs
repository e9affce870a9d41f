using System.Text.Json;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Tests.Ingest;

public class TokenizerParityTests
{
    private static readonly Dictionary<string, HfTokenizer> Tokenizers = new();

    private static HfTokenizer Tokenizer(string name)
    {
        lock (Tokenizers)
        {
            if (!Tokenizers.TryGetValue(name, out var t))
                Tokenizers[name] = t = HfTokenizer.Load(SharedData.Tokenizer(name));
            return t;
        }
    }

    public static TheoryData<string, string, int> ParityCases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(SharedData.Root, "tokenizers")).Order())
            foreach (var file in Directory.GetFiles(Path.Combine(dir, "parity"), "*.jsonl").Order())
            {
                int lines = File.ReadLines(file).Count(l => l.Length > 0);
                for (int i = 0; i < lines; i++)
                    data.Add(Path.GetFileName(dir), Path.GetFileName(file), i);
            }
        return data;
    }

    private static (string Text, int[] Ids) Case(string tokenizer, string file, int line)
    {
        var json = File.ReadLines(Path.Combine(SharedData.Root, "tokenizers", tokenizer, "parity", file)).Where(l => l.Length > 0).ElementAt(line);
        using var doc = JsonDocument.Parse(json);
        return (doc.RootElement.GetProperty("text").GetString()!,
            doc.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }

    [Theory]
    [MemberData(nameof(ParityCases))]
    public void Ids_equal_huggingface(string tokenizer, string file, int line)
    {
        var (text, expected) = Case(tokenizer, file, line);
        Assert.Equal(expected, Tokenizer(tokenizer).Encode(text));
    }

    [Theory]
    [MemberData(nameof(ParityCases))]
    public void Truncated_ids_are_a_prefix_of_the_full_ids(string tokenizer, string file, int line)
    {
        var (text, expected) = Case(tokenizer, file, line);
        var t = Tokenizer(tokenizer);
        foreach (int max in new[] { 0, 1, 2, 3, 5, 7, 11, expected.Length / 2, expected.Length - 1, expected.Length, expected.Length + 3 }.Where(m => m >= 0).Distinct())
        {
            var ids = new List<int>();
            string covered = t.Encode(text, ids, max);
            Assert.Equal(expected.Take(max), ids);
            Assert.StartsWith(covered, text.Normalize(), StringComparison.Ordinal);
            if (max >= expected.Length)
                Assert.Equal(text.Normalize(), covered);
        }
    }
}
