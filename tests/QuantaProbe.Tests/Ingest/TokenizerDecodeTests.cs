using System.Text;
using System.Text.Json;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Tests.Ingest;

/// <summary>HfTokenizer.Decode: HF's byte-level decode, always valid text.</summary>
[Trait("tier", "fast")]
public class TokenizerDecodeTests
{
    private static readonly string TokenizerPath = Path.Combine(SharedData.RepoRoot, "models", "pythia-8k-tokenizer", "tokenizer.json");
    private static readonly Lazy<HfTokenizer> Tokenizer = new(() => HfTokenizer.Load(TokenizerPath));
    private static readonly Lazy<Dictionary<string, int>> Vocabulary = new(() => TokenizerJson.Load(TokenizerPath).Vocabulary);

    public static TheoryData<string> ParityTexts()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path.Combine(SharedData.Root, "tokenizers", "pythia-8k", "parity", "edge-cases.jsonl")).Where(l => l.Length > 0))
            data.Add(JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(ParityTexts))]
    public void Decoding_the_ids_of_a_text_gives_the_normalized_text_back(string text)
    {
        var ids = Tokenizer.Value.Encode(text);
        Assert.Equal(text.Normalize(NormalizationForm.FormC), Tokenizer.Value.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Special_tokens_are_left_out_unless_asked_for()
    {
        var t = Tokenizer.Value;
        Assert.Equal(0, t.AddedTokenId("<|endoftext|>"));
        Assert.Equal(1, t.AddedTokenId("<|padding|>"));
        Assert.Null(t.AddedTokenId("<|nothing|>"));
        int[] ids = [0, .. t.Encode("Once upon a time"), 1];
        Assert.Equal("Once upon a time", t.Decode(ids));
        Assert.Equal("<|endoftext|>Once upon a time<|padding|>", t.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_become_replacement_characters()
    {
        // Byte-level tokens for single bytes: "é" is C3 A9, "€" is E2 82 AC.
        int Byte(int b) => Vocabulary.Value[ByteLevelAlphabet.CharOf[b].ToString()];
        var t = Tokenizer.Value;
        Assert.Equal("é", t.Decode([Byte(0xC3), Byte(0xA9)]));
        // A character cut after its first bytes (what max tokens can do) is one U+FFFD, not dropped text.
        Assert.Equal("a\uFFFD", t.Decode([Byte('a'), Byte(0xE2), Byte(0x82)]));
        // A stray continuation byte and a lead byte without its continuation: one U+FFFD each, the text around them kept.
        Assert.Equal("x\uFFFDy\uFFFDz", t.Decode([Byte('x'), Byte(0xA9), Byte('y'), Byte(0xC3), Byte('z')]));
        string decoded = t.Decode([Byte(0xF0), Byte(0x9F), Byte('!')]);
        Assert.Equal("\uFFFD!", decoded);
        // Valid text: strict UTF-8 encoding (no lone surrogates) succeeds and decodes back to it.
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.Equal(decoded, strict.GetString(strict.GetBytes(decoded)));
    }

    [Fact]
    public void Every_id_of_the_vocabulary_decodes_to_valid_text()
    {
        var t = Tokenizer.Value;
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        for (int id = 0; id < t.VocabSize; id++)
        {
            Assert.True(t.HasToken(id), $"id {id}");
            string text = t.Decode([id], skipSpecialTokens: false);
            Assert.Equal(text, strict.GetString(strict.GetBytes(text)));
        }
        Assert.False(t.HasToken(t.VocabSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Decode([t.VocabSize]));
    }
}
