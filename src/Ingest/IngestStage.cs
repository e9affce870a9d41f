using QuantaProbe.Core.Contracts;
using Parquet;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Ingest.Corpus;
using QuantaProbe.Ingest.Tokenization;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Ingest;

/// <summary>
/// <c>quanta ingest</c>: corpus → <c>tokens/</c> and <c>documents/</c> part files. Part k holds
/// doc_ids [k·P, (k+1)·P); parts already complete are skipped without decoding their documents,
/// so a killed run resumes where it stopped and a shard writes only its own parts.
/// </summary>
public static class IngestStage
{
    public const string ManifestName = RunPaths.IngestFile;
    private const int BatchDocuments = 512;
    private const long BatchBytes = 16 << 20;

    public static async Task<IngestResult> RunAsync(IngestOptions options, IProgress<IngestProgress>? progress = null, CancellationToken cancel = default)
    {
        options.Validate();
        var files = CorpusReader.Files(options.Corpus);
        var tokenizer = HfTokenizer.Load(options.Tokenizer);
        using var writing = RunFolderLock.Acquire(options.RunFolder, options.Shard);
        var metadata = IngestMetadata.For(options, tokenizer, IngestMetadata.Fingerprint(files, options.Corpus));
        long bytesTotal = files.Sum(f => f.Length);

        PartFiles.DeleteStaleTemps(Path.Combine(options.RunFolder, S.Tokens.Folder), options.Shard);
        PartFiles.DeleteStaleTemps(Path.Combine(options.RunFolder, S.Documents.Folder), options.Shard);
        var complete = CompleteParts(options.RunFolder);
        if (complete.Count > 0)
            await IngestMetadata.CheckAgreesAsync(PartFiles.PathOf(Path.Combine(options.RunFolder, S.Tokens.Folder), complete.Min), metadata, options.RunFolder);

        long docId = 0, bytesRead = 0, docsWritten = 0, tokensWritten = 0, partsWritten = 0, partsSkipped = 0;
        long currentPart = -1;
        IngestPartBuilder? part = null;
        var batch = new List<(long DocId, CorpusItem Item)>();
        long batchBytes = 0;

        async Task FlushBatchAsync()
        {
            foreach (var doc in TokenizeBatch(batch, tokenizer, options))
                await part!.AddAsync(doc);
            docsWritten += batch.Count;
            batch.Clear();
            batchBytes = 0;
            progress?.Report(new IngestProgress(docId, docsWritten, tokensWritten + part!.TokensWritten, bytesRead, bytesTotal));
        }

        async Task FinishPartAsync()
        {
            if (part is null)
                return;
            await FlushBatchAsync();
            await part.CompleteAsync();
            tokensWritten += part.TokensWritten;
            partsWritten++;
            await part.DisposeAsync();
            part = null;
        }

        try
        {
            foreach (var item in CorpusReader.Read(options.Corpus, options.CorpusOptions))
            {
                cancel.ThrowIfCancellationRequested();
                long size = item.Utf8?.Length ?? item.Text!.Length;
                bytesRead += size;
                long index = docId / options.DocumentsPerPart;
                if (index != currentPart)
                {
                    await FinishPartAsync();
                    currentPart = index;
                    if (options.Shard.Owns(index) && complete.Contains(index))
                        partsSkipped++;
                    else if (options.Shard.Owns(index))
                        part = await IngestPartBuilder.CreateAsync(options.RunFolder, index, metadata);
                }
                if (part is not null)
                {
                    batch.Add((docId, item));
                    batchBytes += size;
                    if (batch.Count >= BatchDocuments || batchBytes >= BatchBytes)
                        await FlushBatchAsync();
                }
                else if (docId % BatchDocuments == 0)
                {
                    progress?.Report(new IngestProgress(docId, docsWritten, tokensWritten, bytesRead, bytesTotal));
                }
                docId++;
            }
            await FinishPartAsync();
        }
        finally
        {
            if (part is not null)
                await part.DisposeAsync();
        }

        if (docId == 0)
            throw new QuantaException($"{options.Corpus}: the corpus holds no documents; point --corpus at a non-empty corpus");
        progress?.Report(new IngestProgress(docId, docsWritten, tokensWritten, bytesTotal, bytesTotal));

        long partCount = (docId + options.DocumentsPerPart - 1) / options.DocumentsPerPart;
        string? manifest = null;
        var nowComplete = CompleteParts(options.RunFolder);
        bool all = Enumerable.Range(0, checked((int)partCount)).All(p => nowComplete.Contains(p));
        if (all)
            manifest = await WriteManifestAsync(options, tokenizer, metadata, docId, partCount);
        return new IngestResult(docId, partsWritten, partsSkipped, tokensWritten, all, manifest);
    }

    private static SortedSet<long> CompleteParts(string runFolder)
    {
        var tokens = PartFiles.Complete(Path.Combine(runFolder, S.Tokens.Folder));
        tokens.IntersectWith(PartFiles.Complete(Path.Combine(runFolder, S.Documents.Folder)));
        return tokens;
    }

    private static TokenizedDocument[] TokenizeBatch(List<(long DocId, CorpusItem Item)> batch, HfTokenizer tokenizer, IngestOptions options)
    {
        var results = new TokenizedDocument[batch.Count];
        var errors = new QuantaException?[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads }, i =>
        {
            try
            {
                var (docId, item) = batch[i];
                var doc = item.Decode();
                var ids = new List<int>(Math.Min(options.ContextLength, doc.Text.Length + 1));
                var covered = tokenizer.Encode(doc.Text, ids, options.ContextLength);
                results[i] = new TokenizedDocument(docId, doc.Source, ids.ToArray(), covered);
            }
            catch (QuantaException e)
            {
                errors[i] = e;
            }
        });
        // Report the first bad document in corpus order, whatever thread met it first.
        var error = errors.FirstOrDefault(e => e is not null);
        if (error is not null)
            throw error;
        return results;
    }

    private static async Task<long> PredictedTokensAsync(string runFolder, long partCount)
    {
        long predicted = 0;
        for (long p = 0; p < partCount; p++)
        {
            await using var documents = await ParquetColumns.OpenAsync(PartFiles.PathOf(Path.Combine(runFolder, S.Documents.Folder), p), "quanta ingest");
            foreach (int n in await documents.ReadAsync<int>(S.Documents.NTokens.Name))
                predicted += Math.Max(0, n - 1);
        }
        return predicted;
    }

    private static async Task<string> WriteManifestAsync(IngestOptions options, HfTokenizer tokenizer, Dictionary<string, string> metadata, long documents, long partCount)
    {
        long tokens = 0;
        var tokensFolder = Path.Combine(options.RunFolder, S.Tokens.Folder);
        for (long p = 0; p < partCount; p++)
        {
            await using var reader = await RunPartFile.OpenAsync(PartFiles.PathOf(tokensFolder, p), "quanta ingest");
            tokens += reader.Metadata?.NumRows ?? 0;
        }
        // Fewer tokens than documents leaves room for a corpus of empty and one-token documents only, where no token is predicted.
        if (tokens <= documents && await PredictedTokensAsync(options.RunFolder, partCount) == 0)
            throw new QuantaException($"{options.Corpus}: no document has two or more tokens, so there is no token to predict (empty and one-token "
                + "documents are kept but predict nothing); give a corpus with longer documents");
        var manifest = new IngestManifest
        {
            SchemaVersion = IngestManifest.CurrentSchemaVersion,
            Stage = "ingest",
            ToolVersion = typeof(IngestStage).Assembly.GetName().Version?.ToString(),
            Corpus = Path.GetFullPath(options.Corpus),
            CorpusFingerprint = metadata[MetadataKeys.CorpusFingerprint],
            Tokenizer = Path.GetFullPath(tokenizer.Path),
            TokenizerSha256 = tokenizer.Sha256,
            VocabSize = tokenizer.VocabSize,
            ContextLength = options.ContextLength,
            DocsPerPart = options.DocumentsPerPart,
            Separator = options.CorpusOptions.Separator,
            TextColumn = options.CorpusOptions.TextColumn,
            Documents = documents,
            Tokens = tokens,
            Parts = partCount,
        };
        manifest.Write(options.RunFolder);
        return RunPaths.IngestManifest(options.RunFolder);
    }
}
