using System.Text.Json.Nodes;

namespace QuantaProbe.Tests.Hostile;

/// <summary>Broken tokenizer.json, through `quanta ingest`.</summary>
internal static class TokenizerCases
{
    public static readonly HostileCase[] All =
    [
        Text("tokenizer.json: not JSON", _ => "<html>404 Not Found</html>", "not a valid JSON tokenizer file"),
        Text("tokenizer.json: truncated", real => real[..(real.Length / 2)], "not a valid JSON tokenizer file"),
        Edit("tokenizer.json: WordPiece model", t => t["model"] = new JsonObject { ["type"] = "WordPiece", ["vocab"] = new JsonObject { ["a"] = 0 } }, "\"WordPiece\""),
        Edit("tokenizer.json: Unigram model", t => t["model"] = new JsonObject { ["type"] = "Unigram", ["vocab"] = new JsonArray(new JsonArray("a", -1.0)) }, "\"Unigram\""),
        Edit("tokenizer.json: BPE without vocab", t => t["model"]!.AsObject().Remove("vocab"), "no \"vocab\""),
        Edit("tokenizer.json: merges name unknown tokens", t => t["model"]!["merges"]!.AsArray().Insert(0, "qqzz\u00e9 xxyyw"), "merge"),
        Edit("tokenizer.json: vocab id not a number", t => t["model"]!["vocab"]!["a"] = "zero", "vocab entry \"a\""),
        Edit("tokenizer.json: added token without id", t => t["added_tokens"]!.AsArray().Add(new JsonObject { ["content"] = "<x>" }), "added token"),
        Edit("tokenizer.json: added token id a string", t => t["added_tokens"]![0]!["id"] = "0", "added token #0"),
        Edit("tokenizer.json: added token content a number", t => t["added_tokens"]![0]!["content"] = 7, "wrong JSON type"),
    ];

    private static HostileCase Text(string name, Func<string, string> content, string phrase) =>
        new(name, w =>
        {
            var tokenizer = w.Write("tokenizer.json", content(File.ReadAllText(HostileWorkspace.Tokenizer)));
            return Ingest(w, tokenizer, phrase);
        });

    private static HostileCase Edit(string name, Action<JsonObject> edit, string phrase) =>
        new(name, w =>
        {
            var json = JsonNode.Parse(File.ReadAllText(HostileWorkspace.Tokenizer))!.AsObject();
            edit(json);
            return Ingest(w, w.Write("tokenizer.json", json.ToJsonString()), phrase);
        });

    private static HostileInvocation Ingest(HostileWorkspace w, string tokenizer, string phrase) =>
        new(w.Ingest(w.Corpus(), tokenizer), tokenizer, phrase, [w.PathOf("run/ingest.json"), w.PathOf("run/tokens/part-00000.parquet")]);
}
