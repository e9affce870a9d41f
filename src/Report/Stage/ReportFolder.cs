using QuantaProbe.Core.Contracts;
using QuantaProbe.Report;
namespace QuantaProbe.Report.Stage;

/// <summary>
/// RUN/report is built whole in a hidden sibling folder and swapped in when complete, so a reader (or a
/// killed run) never sees a half-written report: the old report stays until the new one is whole.
/// </summary>
internal sealed class ReportFolder : IDisposable
{
    private bool _committed;

    public ReportFolder(string runFolder)
    {
        Final = Path.Combine(runFolder, RunPaths.Report);
        Building = Path.Combine(runFolder, ".report.tmp");
        Old = Path.Combine(runFolder, ".report.old");
        DeleteIfExists(Building);
        // A kill between Commit's two moves left the previous report aside: put it back, so a failed rebuild still leaves one.
        if (Directory.Exists(Old) && !Directory.Exists(Final))
            Directory.Move(Old, Final);
        DeleteIfExists(Old);
        Directory.CreateDirectory(Building);
    }

    /// <summary>Where the report is written until <see cref="Commit"/>.</summary>
    public string Building { get; }
    public string Final { get; }
    private string Old { get; }

    public void Commit()
    {
        if (Directory.Exists(Final))
            Directory.Move(Final, Old);
        Directory.Move(Building, Final);
        DeleteIfExists(Old);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed)
            DeleteIfExists(Building);
    }

    private static void DeleteIfExists(string folder)
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }
}
