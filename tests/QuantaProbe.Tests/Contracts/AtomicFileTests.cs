using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Tests.Contracts;

[Trait("tier", "fast")]
public sealed class AtomicFileTests
{
    private static string[] Hidden(string folder) => Directory.GetFiles(folder, ".*").Select(Path.GetFileName).ToArray()!;

    [Fact]
    public async Task Writers_of_one_file_at_the_same_moment_all_succeed_and_leave_one_whole_file()
    {
        // Shards of a run write shared files such as ingest.json together; one temporary name made one of them fail.
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Path, "ingest.json");
        var contents = Enumerable.Range(0, 8).Select(w => new string((char)('a' + w), 200_000)).ToArray();
        using var start = new Barrier(contents.Length);
        var writers = contents.Select(text => Task.Run(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 20; i++)
                AtomicFile.WriteAllText(path, text);
        })).ToArray();
        await Task.WhenAll(writers);
        Assert.Contains(File.ReadAllText(path), contents);
        Assert.Empty(Hidden(tmp.Path));
    }

    [Fact]
    public void A_temporary_left_by_a_killed_writer_is_removed_by_the_next_write_and_one_being_written_is_not()
    {
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Path, "model.json");
        string abandoned = Path.Combine(tmp.Path, ".model.json.0123456789abcdef0123456789abcdef.tmp");
        string earlierVersion = Path.Combine(tmp.Path, ".model.json.tmp");
        string live = Path.Combine(tmp.Path, ".model.json.fedcba9876543210fedcba9876543210.tmp");
        File.WriteAllText(abandoned, "half");
        File.WriteAllText(earlierVersion, "half");
        using (var writing = new FileStream(live, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            AtomicFile.WriteAllText(path, "{}");
            Assert.Equal([".model.json.fedcba9876543210fedcba9876543210.tmp"], Hidden(tmp.Path));
        }
        Assert.Equal("{}", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_failed_write_keeps_the_previous_file_and_leaves_no_temporary()
    {
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Path, "summary.json");
        AtomicFile.WriteAllText(path, "old");
        await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFile.WriteAsync(path, async s =>
        {
            await s.WriteAsync(Encoding.UTF8.GetBytes("new, half"));
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(Hidden(tmp.Path));
    }
}
