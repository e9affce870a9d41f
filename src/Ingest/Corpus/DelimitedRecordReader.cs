using QuantaProbe.Core;

namespace QuantaProbe.Ingest.Corpus;

/// <summary>
/// Splits a byte stream on a delimiter (a newline for JSON Lines, a separator for text files),
/// streaming: memory holds one record at a time, however long the stream. A record longer than
/// <see cref="MaxRecordBytes"/> is an error rather than an allocation as large as the file.
/// </summary>
internal static class DelimitedRecordReader
{
    /// <summary>
    /// The longest document: only its first context_length tokens are used, and decoding and
    /// tokenizing it whole takes several times its size in memory.
    /// </summary>
    public const int MaxRecordBytes = 64 << 20;

    public static QuantaException TooLong(string file, long line) =>
        new($"{file}:{line}: a document longer than {MaxRecordBytes >> 20} MiB; only its first context_length tokens are used, so cut it (or split the file with --separator) before ingesting");

    public static IEnumerable<(byte[] Record, long Line)> Read(Stream stream, byte[] delimiter, string file)
    {
        var buffer = new byte[1 << 20];
        int start = 0, end = 0, scanFrom = 0;
        long line = 1;
        bool eof = false;
        while (true)
        {
            int found = buffer.AsSpan(scanFrom, end - scanFrom).IndexOf(delimiter);
            if (found >= 0)
            {
                int at = scanFrom + found;
                var record = buffer.AsSpan(start, at - start).ToArray();
                yield return (record, line);
                line += buffer.AsSpan(start, at + delimiter.Length - start).Count((byte)'\n');
                start = scanFrom = at + delimiter.Length;
                continue;
            }
            if (eof)
            {
                if (end > start)
                    yield return (buffer.AsSpan(start, end - start).ToArray(), line);
                yield break;
            }
            // Keep the unfinished record, make room, read more.
            int kept = end - start;
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, kept);
                start = 0;
                end = kept;
            }
            if (kept >= MaxRecordBytes)
                throw TooLong(file, line);
            if (end == buffer.Length)
                Array.Resize(ref buffer, checked(buffer.Length * 2));
            scanFrom = Math.Max(0, end - delimiter.Length + 1);
            int read = ReadSome(stream, buffer.AsSpan(end), file);
            if (read == 0)
                eof = true;
            end += read;
        }
    }

    private static int ReadSome(Stream stream, Span<byte> into, string file)
    {
        try
        {
            return stream.Read(into);
        }
        catch (EndOfStreamException e)
        {
            throw new QuantaException($"{file}: truncated compressed stream ({e.Message}); re-download or re-compress the file");
        }
        catch (ZstdSharp.ZstdException e)
        {
            throw new QuantaException($"{file}: corrupt zstd data ({e.Message}); re-download or re-compress the file");
        }
        catch (IOException e)
        {
            throw new QuantaException($"{file}: read failed ({e.Message})");
        }
    }
}
