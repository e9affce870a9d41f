using QuantaProbe.Core.Contracts;
using System.Text;
using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Models.SparseParity;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Toy.SparseParity;

/// <summary>
/// Writes the toy's evaluation examples as an ingested run: tokens/ and documents/ parts (one example
/// per document, <see cref="SparseParityVocabulary"/>; documents carry the true <c>subtask</c>) and
/// ingest.json, so infer, gradients and decompose read them like a tokenized corpus. Part k's examples
/// come from a generator seeded by (seed, k): a resumed run rewrites a missing part identically.
/// </summary>
public static class ToyDataWriter
{
    public const string Source = "sparse-parity";

    public static async Task WriteAsync(string runFolder, SparseParityTask task, int examples, int examplesPerPart, long seed, CancellationToken cancel = default)
    {
        if (examples < 1)
            throw new QuantaException($"--samples {examples}: must be at least 1");
        var vocabulary = new SparseParityVocabulary(task.Tasks, task.Bits);
        long parts = (examples + examplesPerPart - 1) / examplesPerPart;
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Stage] = "toy",
            [MetadataKeys.Toy] = Describe(task, examples, examplesPerPart, seed),
            [MetadataKeys.ContextLength] = vocabulary.SequenceLength.ToString(),
            [MetadataKeys.DocumentsPerPart] = examplesPerPart.ToString(),
            [MetadataKeys.VocabSize] = vocabulary.VocabularySize.ToString(),
        };
        var tokensFolder = Path.Combine(runFolder, S.Tokens.Folder);
        var documentsFolder = Path.Combine(runFolder, S.Documents.Folder);
        var done = PartFiles.Complete(tokensFolder);
        done.IntersectWith(PartFiles.Complete(documentsFolder));
        for (long p = 0; p < parts; p++)
        {
            cancel.ThrowIfCancellationRequested();
            if (done.Contains(p) && await SameSettingsAsync(PartFiles.PathOf(tokensFolder, p), metadata))
                continue;
            int first = checked((int)(p * examplesPerPart)), count = Math.Min(examplesPerPart, examples - first);
            await WritePartAsync(runFolder, p, first, count, task, vocabulary, seed, metadata);
        }
        new IngestManifest
        {
            SchemaVersion = IngestManifest.CurrentSchemaVersion,
            Stage = "toy",
            ToolVersion = typeof(ToyDataWriter).Assembly.GetName().Version?.ToString(),
            Corpus = "sparse-parity " + Describe(task, examples, examplesPerPart, seed),
            VocabSize = vocabulary.VocabularySize,
            ContextLength = vocabulary.SequenceLength,
            DocsPerPart = examplesPerPart,
            Documents = examples,
            Tokens = (long)examples * vocabulary.SequenceLength,
            Parts = parts,
        }.Write(runFolder);
    }

    private static string Describe(SparseParityTask t, int examples, int perPart, long seed) =>
        $"{t.Signature} examples={examples} per_part={perPart} seed={seed}";

    private static async Task<bool> SameSettingsAsync(string path, Dictionary<string, string> metadata)
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        return reader.CustomMetadata.TryGetValue(MetadataKeys.Toy, out var toy) && toy == metadata[MetadataKeys.Toy]
            ? true
            : throw new QuantaException($"{path}: written by a toy run with other settings ({(toy ?? "none")}); use a new --out folder");
    }

    private static async Task WritePartAsync(string runFolder, long part, int first, int count, SparseParityTask task, SparseParityVocabulary vocabulary, long seed, Dictionary<string, string> metadata)
    {
        var random = new Random(StableSeed.Of(seed, part, 0x5EED));
        var subtasks = new int[count];
        var bits = new byte[count * task.Bits];
        var labels = new byte[count];
        task.Sample(random, subtasks, bits, labels);

        int length = vocabulary.SequenceLength;
        var docIds = new long[count * length];
        var positions = new int[docIds.Length];
        var tokenIds = new int[docIds.Length];
        var documentIds = new long[count];
        var texts = new string[count];
        var sources = new string[count];
        var lengths = new int[count];
        for (int i = 0; i < count; i++)
        {
            long doc = first + i;
            var row = bits.AsSpan(i * task.Bits, task.Bits);
            vocabulary.Encode(subtasks[i], row, labels[i], tokenIds.AsSpan(i * length, length));
            docIds.AsSpan(i * length, length).Fill(doc);
            for (int t = 0; t < length; t++)
                positions[i * length + t] = t;
            documentIds[i] = doc;
            sources[i] = Source;
            lengths[i] = length;
            var text = new StringBuilder().Append("subtask ").Append(subtasks[i]).Append(": ");
            foreach (byte b in row)
                text.Append((char)('0' + b));
            texts[i] = text.Append(" -> ").Append(labels[i]).ToString();
        }

        await using (var tokens = await ParquetPartWriter.CreateAsync(Path.Combine(runFolder, S.Tokens.Folder), part, S.Tokens.Schema, metadata))
        {
            for (int from = 0; from < docIds.Length; from += ParquetPartWriter.RowGroupRows)
            {
                int n = Math.Min(ParquetPartWriter.RowGroupRows, docIds.Length - from), f = from;
                await tokens.WriteRowGroupAsync(async g =>
                {
                    await g.WriteAsync(S.Tokens.DocId, new ReadOnlyMemory<long>(docIds, f, n));
                    await g.WriteAsync(S.Tokens.Pos, new ReadOnlyMemory<int>(positions, f, n));
                    await g.WriteAsync(S.Tokens.TokenId, new ReadOnlyMemory<int>(tokenIds, f, n));
                });
            }
            await tokens.CompleteAsync();
        }
        await using var documents = await ParquetPartWriter.CreateAsync(Path.Combine(runFolder, S.Documents.Folder), part, S.Documents.GroundTruthSchema, metadata);
        await documents.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(S.Documents.DocId, (ReadOnlyMemory<long>)documentIds);
            await g.WriteAsync(S.Documents.Source, sources);
            await g.WriteAsync(S.Documents.NTokens, (ReadOnlyMemory<int>)lengths);
            await g.WriteAsync(S.Documents.Text, texts);
            await g.WriteAsync(S.Documents.Subtask, (ReadOnlyMemory<int>)subtasks);
        });
        await documents.CompleteAsync();
    }
}
