using System.Diagnostics;
using System.Globalization;

namespace QuantaProbe.Bench;

internal static class PeakMemory
{
    /// <summary>VmHWM from /proc/self/status (Linux), else the runtime's peak working set.</summary>
    public static long PeakRssBytes()
    {
        const string Status = "/proc/self/status";
        if (File.Exists(Status))
        {
            foreach (var line in File.ReadLines(Status))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    public static string MiB(long bytes) => $"{bytes / 1048576.0:N0} MiB";
}
