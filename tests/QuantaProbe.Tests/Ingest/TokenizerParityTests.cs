using System.Text.Json;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Tests.Ingest;

[Trait("tier", "fast")]
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

[Trait("tier", "fast")]
public class HeapBpeTests
{
    [Fact]
    public void Heap_bpe_equals_the_library_on_every_word_of_the_corpora()
    {
        var tokenizer = HfTokenizer.Load(SharedData.Tokenizer("gpt-neox-20b"));
        var text = string.Concat(File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(300)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()));
        var words = Gpt2PreTokenizer.Instance.PreTokenize(text).Select(w => text.Substring(w.Offset, w.Length)).Distinct().ToList();
        Assert.True(words.Count > 1000);
        foreach (var word in words)
            Assert.Equal(tokenizer.EncodeWordWithLibrary(word), tokenizer.EncodeWordWithHeap(word));
    }

    [Theory]
    [InlineData(300)]
    [InlineData(5000)]
    public void Long_words_take_the_heap_path_and_stay_exact(int length)
    {
        var tokenizer = HfTokenizer.Load(SharedData.Tokenizer("gpt-neox-20b"));
        var random = new Random(length);
        var word = new string(Enumerable.Range(0, length).Select(_ => "abcdeéxyz"[random.Next(9)]).ToArray());
        Assert.True(word.Length > HfTokenizer.LongWordChars);
        var text = "A long word: " + word + " and after.";
        var expected = tokenizer.EncodeWordWithLibrary(" " + word);
        var ids = tokenizer.Encode(text);
        Assert.Equal(expected, ids.Skip(4).Take(expected.Count));
        // Truncated inside the long word: a prefix of the full ids.
        var truncated = new List<int>();
        var covered = tokenizer.Encode(text, truncated, 10);
        Assert.Equal(ids.Take(10), truncated);
        Assert.StartsWith(covered, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Supplementary_letters_are_letters_for_the_pre_tokenizer()
    {
        // .NET's Regex sees a surrogate pair as two non-letters; HF (code points) sees one letter.
        var text = "a \U0001D49Cbc \U00020000x";
        var pieces = Gpt2PreTokenizer.Instance.PreTokenize(text).Select(w => text.Substring(w.Offset, w.Length)).ToArray();
        Assert.Equal(["a", " \U0001D49Cbc", " \U00020000x"], pieces);
    }
}
