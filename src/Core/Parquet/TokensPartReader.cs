using Parquet;
using S = QuantaProbe.Core.Parquet.RunSchemas;

namespace QuantaProbe.Core.Parquet;

/// <summary>One document's tokens, as ingest wrote them.</summary>
public sealed record DocumentTokens(long DocId, int[] TokenIds);

/// <summary>Reads a tokens/ part back into documents (rows are ordered by doc_id, then pos).</summary>
public static class TokensPartReader
{
    public static async Task<List<DocumentTokens>> ReadAsync(string path)
    {
        try
        {
            await using var reader = await ParquetReader.CreateAsync(path);
            var docs = new List<DocumentTokens>();
            long currentDoc = -1;
            var ids = new List<int>();
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                int rows = checked((int)group.RowCount);
                var docIds = new long[rows];
                var positions = new int[rows];
                var tokens = new int[rows];
                await group.ReadAsync<long>(S.Tokens.DocId, docIds.AsMemory(), null, default);
                await group.ReadAsync<int>(S.Tokens.Pos, positions.AsMemory(), null, default);
                await group.ReadAsync<int>(S.Tokens.TokenId, tokens.AsMemory(), null, default);
                for (int i = 0; i < rows; i++)
                {
                    if (docIds[i] != currentDoc)
                    {
                        if (currentDoc >= 0)
                            docs.Add(new DocumentTokens(currentDoc, ids.ToArray()));
                        currentDoc = docIds[i];
                        ids.Clear();
                    }
                    if (positions[i] != ids.Count)
                        throw new QuantaException($"{path}: doc_id {docIds[i]} has pos {positions[i]} where {ids.Count} was expected; the part is corrupt, delete it and re-run `quanta ingest`");
                    ids.Add(tokens[i]);
                }
            }
            if (currentDoc >= 0)
                docs.Add(new DocumentTokens(currentDoc, ids.ToArray()));
            return docs;
        }
        catch (Exception e) when (e is IOException or ParquetException or InvalidDataException or OverflowException)
        {
            throw new QuantaException($"{path}: unreadable tokens part ({e.Message}); delete it and re-run `quanta ingest`");
        }
    }
}
