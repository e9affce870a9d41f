using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Ingest.Tokenization;

namespace QuantaProbe.Report.Inputs;

/// <summary>A predicted token with the text before it (and a little after).</summary>
internal sealed record TokenContext(long DocId, int Pos, string Before, string Token, string After, int TokenId);

/// <summary>
/// Token contexts decoded with the tokenizer that ingest recorded in ingest.json (when it is still there
/// with the same sha256); otherwise (the toy, a moved tokenizer) the document's text with the token's id.
/// </summary>
internal sealed class TokenContexts
{
    private readonly string _runFolder;
    private readonly IngestedRun _run;
    private readonly TokenDecoder? _decoder;
    private readonly Dictionary<long, Dictionary<long, int[]>> _tokenParts = [];
    private readonly Dictionary<long, Dictionary<long, string>> _textParts = [];

    private TokenContexts(string runFolder, IngestedRun run, TokenDecoder? decoder, string decoding)
    {
        _runFolder = runFolder;
        _run = run;
        _decoder = decoder;
        Decoding = decoding;
    }

    /// <summary>How tokens are shown, for the page.</summary>
    public string Decoding { get; }

    public bool Decodes => _decoder is not null;

    public static TokenContexts Open(string runFolder)
    {
        var run = IngestedRun.Open(runFolder);
        var manifest = IngestManifest.Read(runFolder);
        string? tokenizer = manifest.Tokenizer, sha = manifest.TokenizerSha256;
        if (tokenizer is null)
            return new TokenContexts(runFolder, run, null, "this run has no tokenizer (ingest.json names none): contexts show the document text and the token id");
        if (!File.Exists(tokenizer) || (sha is not null && Sha256File.Of(tokenizer) != sha))
            return new TokenContexts(runFolder, run, null, $"the tokenizer ingest used ({tokenizer}) is missing or changed: contexts show the document text and the token id");
        return new TokenContexts(runFolder, run, TokenDecoder.Load(tokenizer), $"tokens decoded with {tokenizer}");
    }

    public async Task<TokenContext> GetAsync(long docId, int pos, int before, int after = 4)
    {
        var tokens = await TokensOfAsync(docId);
        if (pos < 0 || pos >= tokens.Length)
            throw new QuantaException($"{Path.Combine(_runFolder, RunSchemas.Tokens.Folder)}: document {docId} has no position {pos}; decompose's outputs belong to another ingest, re-run the pipeline");
        if (_decoder is null)
            return new TokenContext(docId, pos, await TextOfAsync(docId) + " ", $"token {tokens[pos]}", "", tokens[pos]);
        int from = Math.Max(0, pos - before), to = Math.Min(tokens.Length, pos + 1 + after);
        return new TokenContext(docId, pos, (from > 0 ? "…" : "") + _decoder.Decode(tokens[from..pos]), _decoder.Decode([tokens[pos]]),
            _decoder.Decode(tokens[(pos + 1)..to]) + (to < tokens.Length ? "…" : ""), tokens[pos]);
    }

    private async Task<int[]> TokensOfAsync(long docId)
    {
        long part = docId / _run.DocsPerPart;
        if (!_tokenParts.TryGetValue(part, out var docs))
        {
            var path = PartFiles.PathOf(_run.TokensFolder, part);
            if (!File.Exists(path))
                throw new QuantaException($"{path}: not found; re-run `quanta ingest` for this run");
            docs = (await TokensPartReader.ReadAsync(path)).ToDictionary(d => d.DocId, d => d.TokenIds);
            _tokenParts[part] = docs;
        }
        return docs.TryGetValue(docId, out var ids) ? ids : [];
    }

    private async Task<string> TextOfAsync(long docId)
    {
        long part = docId / _run.DocsPerPart;
        var path = PartFiles.PathOf(Path.Combine(_runFolder, RunSchemas.Documents.Folder), part);
        if (!_textParts.TryGetValue(part, out var texts))
        {
            if (!File.Exists(path))
                throw new QuantaException($"{path}: not found; re-run the stage that wrote the documents (`quanta ingest`, or `quanta toy` for a toy run)");
            texts = [];
            await using var columns = await ParquetColumns.OpenAsync(path, "quanta ingest");
            var ids = await columns.ReadAsync<long>(RunSchemas.Documents.DocId.Name);
            var text = await columns.ReadStringsAsync(RunSchemas.Documents.Text.Name);
            for (int i = 0; i < ids.Length; i++)
                texts[ids[i]] = text[i];
            _textParts[part] = texts;
        }
        return texts.TryGetValue(docId, out var t)
            ? t
            : throw new QuantaException($"{path}: has no document {docId}; decompose's outputs belong to another ingest, re-run the pipeline");
    }
}
