namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// NUL is a legal character: escaped inside a JSON string (\u0000), or raw in a .txt file (valid
/// UTF-8), it is text and is ingested. A raw NUL byte inside a JSON line is invalid JSON (control
/// characters must be escaped) and is an error naming the line; see <see cref="CorpusCases"/>.
/// </summary>
[Trait("tier", "fast")]
public class NulBytesTests
{
    [Theory]
    [InlineData("c.jsonl", "{\"text\": \"before\\u0000after\"}\n")]
    [InlineData("c.txt", "before\0after")]
    public async Task Nul_in_valid_text_is_ingested(string file, string content)
    {
        using var tmp = new TempFolder();
        var corpus = tmp.File(file, content);
        var run = Path.Combine(tmp.Path, "run");
        var (code, _, err) = QuantaProcess.Run("ingest", "--corpus", corpus, "--tokenizer", HostileWorkspace.Tokenizer, "--out", run);
        Assert.True(code == 0, err);
        var texts = await ParquetTestReader.StringColumnAsync(Path.Combine(run, "documents"), "text");
        Assert.Equal(["before\0after"], texts);
    }
}
