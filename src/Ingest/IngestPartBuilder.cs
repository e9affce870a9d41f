using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Ingest;

/// <summary>
/// Collects one part's documents and writes <c>tokens/part-k</c> and <c>documents/part-k</c>:
/// token rows stream out in row groups, documents go out at the end; documents/ is renamed
/// last, so a part counts as complete only when both files are in place.
/// </summary>
internal sealed class IngestPartBuilder : IAsyncDisposable
{
    private readonly ParquetPartWriter _tokens;
    private readonly ParquetPartWriter _documents;
    private long[] _docIds = new long[1 << 16];
    private int[] _positions = new int[1 << 16];
    private int[] _tokenIds = new int[1 << 16];
    private int _tokenRows;
    private readonly List<long> _documentIds = new();
    private readonly List<string> _sources = new();
    private readonly List<int> _counts = new();
    private readonly List<string> _texts = new();

    private IngestPartBuilder(ParquetPartWriter tokens, ParquetPartWriter documents)
    {
        _tokens = tokens;
        _documents = documents;
    }

    public long TokensWritten { get; private set; }

    public static async Task<IngestPartBuilder> CreateAsync(string runFolder, long part, IReadOnlyDictionary<string, string> metadata)
    {
        var tokensFolder = Path.Combine(runFolder, S.Tokens.Folder);
        var documentsFolder = Path.Combine(runFolder, S.Documents.Folder);
        PartFiles.DeleteStaleTemp(tokensFolder, part);
        PartFiles.DeleteStaleTemp(documentsFolder, part);
        var tokens = await ParquetPartWriter.CreateAsync(tokensFolder, part, S.Tokens.Schema, metadata);
        try
        {
            var documents = await ParquetPartWriter.CreateAsync(documentsFolder, part, S.Documents.Schema, metadata);
            return new IngestPartBuilder(tokens, documents);
        }
        catch
        {
            await tokens.DisposeAsync();
            throw;
        }
    }

    public async Task AddAsync(TokenizedDocument doc)
    {
        _documentIds.Add(doc.DocId);
        _sources.Add(doc.Source);
        _counts.Add(doc.Ids.Length);
        _texts.Add(doc.CoveredText);
        for (int pos = 0; pos < doc.Ids.Length;)
        {
            int room = Math.Min(ParquetPartWriter.RowGroupRows - _tokenRows, doc.Ids.Length - pos);
            EnsureCapacity(_tokenRows + room);
            _docIds.AsSpan(_tokenRows, room).Fill(doc.DocId);
            for (int i = 0; i < room; i++)
                _positions[_tokenRows + i] = pos + i;
            doc.Ids.AsSpan(pos, room).CopyTo(_tokenIds.AsSpan(_tokenRows));
            _tokenRows += room;
            pos += room;
            if (_tokenRows == ParquetPartWriter.RowGroupRows)
                await FlushTokensAsync();
        }
    }

    public async Task CompleteAsync()
    {
        if (_tokenRows > 0 || TokensWritten == 0)
            await FlushTokensAsync();
        await _documents.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(S.Documents.DocId, (ReadOnlyMemory<long>)_documentIds.ToArray());
            await g.WriteAsync(S.Documents.Source, _sources);
            await g.WriteAsync(S.Documents.NTokens, (ReadOnlyMemory<int>)_counts.ToArray());
            await g.WriteAsync(S.Documents.Text, _texts);
        });
        await _tokens.CompleteAsync();
        await _documents.CompleteAsync();
    }

    private async Task FlushTokensAsync()
    {
        int rows = _tokenRows;
        await _tokens.WriteRowGroupAsync(async g =>
        {
            await g.WriteAsync(S.Tokens.DocId, new ReadOnlyMemory<long>(_docIds, 0, rows));
            await g.WriteAsync(S.Tokens.Pos, new ReadOnlyMemory<int>(_positions, 0, rows));
            await g.WriteAsync(S.Tokens.TokenId, new ReadOnlyMemory<int>(_tokenIds, 0, rows));
        });
        TokensWritten += rows;
        _tokenRows = 0;
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _docIds.Length)
            return;
        int size = Math.Min(ParquetPartWriter.RowGroupRows, Math.Max(rows, _docIds.Length * 2));
        Array.Resize(ref _docIds, size);
        Array.Resize(ref _positions, size);
        Array.Resize(ref _tokenIds, size);
    }

    public async ValueTask DisposeAsync()
    {
        await _tokens.DisposeAsync();
        await _documents.DisposeAsync();
    }
}
