using System.Text;
using System.Text.Json;
using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Tokenization;

/// <summary>One entry of a tokenizer.json <c>added_tokens</c> list.</summary>
internal sealed record AddedToken(int Id, string Content, bool Normalized, bool Special);

/// <summary>
/// The parts of a HuggingFace <c>tokenizer.json</c> that a byte-level BPE tokenizer needs,
/// checked for what QuantaProbe supports so that an unsupported file fails at load, not mid-run.
/// </summary>
internal sealed class TokenizerJson
{
    public required Dictionary<string, int> Vocabulary { get; init; }
    public required List<string> Merges { get; init; }
    public required List<AddedToken> AddedTokens { get; init; }
    public required bool NfcNormalizer { get; init; }
    public required bool AddPrefixSpace { get; init; }

    public static TokenizerJson Load(string path)
    {
        if (!File.Exists(path))
            throw new QuantaException($"{path}: tokenizer file not found; pass the family's HF tokenizer.json with --tokenizer");
        JsonDocument doc;
        try
        {
            RegularFile.Require(path);
            using var stream = File.OpenRead(path);
            doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new QuantaException($"{path}: not a valid JSON tokenizer file ({e.Message}); pass an HF tokenizer.json");
        }
        catch (IOException e)
        {
            throw new QuantaException($"{path}: cannot read tokenizer file ({e.Message})");
        }
        using (doc)
        {
            // A field of another JSON type than the format's (a string where a number goes) is the file's fault, not quanta's.
            try { return Parse(doc.RootElement, path); }
            catch (InvalidOperationException e) { throw new QuantaException($"{path}: a field has the wrong JSON type ({e.Message}); pass an HF tokenizer.json"); }
        }
    }

    private static TokenizerJson Parse(JsonElement root, string path)
    {
        string Fail(string what) => throw new QuantaException($"{path}: {what}");
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            Fail("has no \"model\" object; pass an HF tokenizer.json (byte-level BPE)");
        var type = model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "BPE")
            Fail($"model type is {(type is null ? "missing" : $"\"{type}\"")}, not \"BPE\"; QuantaProbe reads byte-level BPE tokenizers (GPT-NeoX/Pythia)");
        if (!model.TryGetProperty("vocab", out var vocabElement) || vocabElement.ValueKind != JsonValueKind.Object)
            Fail("BPE model has no \"vocab\" object");
        if (!model.TryGetProperty("merges", out var mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
            Fail("BPE model has no \"merges\" array");
        foreach (var unsupported in new[] { "continuing_subword_prefix", "end_of_word_suffix", "dropout" })
            if (model.TryGetProperty(unsupported, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                Fail($"BPE option \"{unsupported}\" is set; QuantaProbe supports plain byte-level BPE only");

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocabElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                Fail($"vocab entry \"{entry.Name}\" has no valid id");
            vocabulary[entry.Name] = id;
        }

        var merges = new List<string>(mergesElement.GetArrayLength());
        foreach (var merge in mergesElement.EnumerateArray())
        {
            // Older files write "a b", newer ones ["a", "b"].
            if (merge.ValueKind == JsonValueKind.String)
                merges.Add(merge.GetString()!);
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
                merges.Add($"{merge[0].GetString()} {merge[1].GetString()}");
            else
                Fail($"merge #{merges.Count} is neither \"a b\" nor [\"a\", \"b\"]");
        }

        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out var addedElement) && addedElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in addedElement.EnumerateArray())
            {
                var content = a.TryGetProperty("content", out var c) ? c.GetString() : null;
                if (string.IsNullOrEmpty(content) || !a.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt32(out var id) || id < 0)
                    Fail($"added token #{added.Count} has no content or no id (a whole number ≥ 0); restore the HF tokenizer.json");
                foreach (var flag in new[] { "lstrip", "rstrip", "single_word" })
                    if (a.TryGetProperty(flag, out var f) && f.ValueKind == JsonValueKind.True)
                        Fail($"added token \"{content}\" sets {flag}, which QuantaProbe does not support");
                added.Add(new AddedToken(id, content!, Flag(a, "normalized"), Flag(a, "special")));
            }
        }

        return new TokenizerJson
        {
            Vocabulary = vocabulary,
            Merges = merges,
            AddedTokens = added,
            NfcNormalizer = ReadNormalizer(root, path),
            AddPrefixSpace = ReadByteLevelPreTokenizer(root, path),
        };
    }

    private static bool Flag(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static bool ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var n) || n.ValueKind == JsonValueKind.Null)
            return false;
        var type = n.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type switch
        {
            "NFC" => true,
            _ => throw new QuantaException($"{path}: normalizer \"{type}\" is not supported (QuantaProbe supports none or NFC, as GPT-NeoX uses)"),
        };
    }

    private static bool ReadByteLevelPreTokenizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var p) || p.ValueKind != JsonValueKind.Object)
            throw new QuantaException($"{path}: has no pre_tokenizer; QuantaProbe reads byte-level BPE tokenizers (pre_tokenizer ByteLevel)");
        var type = p.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "ByteLevel")
            throw new QuantaException($"{path}: pre_tokenizer \"{type}\" is not supported; QuantaProbe reads byte-level BPE tokenizers (pre_tokenizer ByteLevel)");
        if (p.TryGetProperty("use_regex", out var r) && r.ValueKind == JsonValueKind.False)
            throw new QuantaException($"{path}: ByteLevel pre_tokenizer with use_regex=false is not supported");
        return p.TryGetProperty("add_prefix_space", out var s) && s.ValueKind == JsonValueKind.True;
    }

    public static string Nfc(string text) => text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
}
