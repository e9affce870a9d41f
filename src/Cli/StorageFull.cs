namespace QuantaProbe.Cli;

/// <summary>
/// Recognises a write that failed because the disk (or a quota, or the file-size limit) is full,
/// wherever it surfaces: an IOException with ENOSPC/EDQUOT/EFBIG (or Windows' disk-full codes),
/// possibly wrapped by a parallel stage. .NET reports EFBIG from a write as an
/// ArgumentOutOfRangeException thrown inside System.IO.
/// </summary>
internal static class StorageFull
{
    private const int Enospc = 28, Efbig = 27, Edquot = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070), WindowsHandleDiskFull = unchecked((int)0x80070027);

    public static string? Describe(Exception e)
    {
        foreach (var inner in Walk(e))
        {
            if (inner is IOException io && (io.HResult is Enospc or Edquot or WindowsDiskFull or WindowsHandleDiskFull
                || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) || io.Message.Contains("quota", StringComparison.OrdinalIgnoreCase)))
                return $"the disk is full ({FirstLine(io.Message)})";
            if (inner is IOException { HResult: Efbig } big)
                return $"a file reached the file-size limit ({FirstLine(big.Message)})";
            if (inner is ArgumentOutOfRangeException range && range.TargetSite?.DeclaringType?.Namespace == "System.IO")
                return $"a file reached the file-size limit of this process or file system ({FirstLine(range.Message)})";
        }
        return null;
    }

    public static string Advice =>
        "free space or move the run folder to a larger disk, then run the same command again to resume (completed parts are kept; the hidden .tmp files it left are removed on resume)";

    private static IEnumerable<Exception> Walk(Exception e)
    {
        yield return e;
        if (e is AggregateException aggregate)
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Walk))
                yield return inner;
        else if (e.InnerException is { } inner)
            foreach (var deeper in Walk(inner))
                yield return deeper;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
