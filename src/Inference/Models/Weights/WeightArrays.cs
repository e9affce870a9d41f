using System.Runtime.InteropServices;

namespace QuantaProbe.Models.Weights;

/// <summary>
/// Float32 arrays for converted weights: not zeroed (every element is written), and on Linux advised
/// into transparent huge pages before their first touch. Session start writes gigabytes of fresh
/// memory; with 4 KiB pages the page faults, not the conversion, are most of its time.
/// </summary>
internal static partial class WeightArrays
{
    private const int HugePage = 2 << 20;
    private const int MadviseHugePage = 14;

    public static float[] Uninitialized(int length)
    {
        var array = GC.AllocateUninitializedArray<float>(length, pinned: length * (long)sizeof(float) >= HugePage);
        if (OperatingSystem.IsLinux() && length * (long)sizeof(float) >= 2L * HugePage)
            AdviseHugePages(array);
        return array;
    }

    /// <summary>Advice only: where the kernel has huge pages off, or refuses, the array is as good.</summary>
    private static unsafe void AdviseHugePages(float[] array)
    {
        fixed (float* start = array)
        {
            long first = ((long)start + HugePage - 1) & -(long)HugePage;
            long end = (long)(start + array.Length) & -(long)HugePage;
            if (end > first)
                _ = Madvise((nint)first, (nuint)(end - first), MadviseHugePage);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
