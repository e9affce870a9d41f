using QuantaProbe.Report;
using QuantaProbe.Report.Stage;

namespace QuantaProbe.Tests.Report;

[Trait("tier", "fast")]
public class ReportFolderTests
{
    [Fact]
    public void A_report_left_aside_by_a_kill_mid_swap_is_restored_when_the_next_build_starts()
    {
        using var tmp = new TempFolder();
        // The state a kill between Commit's two moves leaves: the old report aside, no report/.
        File.WriteAllText(Path.Combine(tmp.Sub(".report.old"), "index.html"), "previous");
        using (new ReportFolder(tmp.Path))
        {
            Assert.Equal("previous", File.ReadAllText(Path.Combine(tmp.Path, "report", "index.html")));
            Assert.False(Directory.Exists(Path.Combine(tmp.Path, ".report.old")));
        }
        // The build was abandoned (not committed): the previous report is still there.
        Assert.Equal("previous", File.ReadAllText(Path.Combine(tmp.Path, "report", "index.html")));
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, ".report.tmp")));
    }

    [Fact]
    public void Commit_swaps_the_new_report_in_and_leaves_nothing_aside()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(Path.Combine(tmp.Sub("report"), "index.html"), "old");
        using (var folder = new ReportFolder(tmp.Path))
        {
            File.WriteAllText(Path.Combine(folder.Building, "index.html"), "new");
            folder.Commit();
        }
        Assert.Equal("new", File.ReadAllText(Path.Combine(tmp.Path, "report", "index.html")));
        Assert.Equal(["report"], Directory.GetDirectories(tmp.Path).Select(Path.GetFileName));
    }
}
