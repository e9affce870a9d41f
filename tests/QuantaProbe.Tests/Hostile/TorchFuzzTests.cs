using System.Diagnostics;
using QuantaProbe.Core;
using QuantaProbe.Models.Torch;
using Xunit.Abstractions;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Seeded mutations of a real torch.save checkpoint: 1,200 of its data.pkl and 1,200 of its zip
/// records (half of them in a zip64 copy). Each either loads, and then reads every tensor (for the
/// zip mutations: exactly as the original does), or fails with one QuantaException line naming the
/// file: never another exception, a hang, or an allocation sized by an unchecked number from the file.
/// </summary>
[Trait("tier", "slow")]
public class TorchFuzzTests(ITestOutputHelper output)
{
    private const int Mutations = 1200;
    private static readonly string Fixture = Path.Combine(SharedData.Root, "fixtures", "neox-tiny-torch-f16", "pytorch_model.bin");

    [Fact]
    public void Every_pickle_mutation_loads_or_fails_with_one_clear_line()
    {
        var mutator = new TorchArchiveMutator(File.ReadAllBytes(Fixture));
        var random = new Random(20261124);
        var (loaded, rejected) = Fuzz(i => mutator.MutatePickle(random), expected: null);
        Assert.True(rejected > Mutations / 2, $"only {rejected} of {Mutations} pickle mutations were rejected: the mutator is too gentle");
        Assert.True(loaded > 0, "no pickle mutation loaded: the mutator never leaves a valid pickle");
    }

    [Fact]
    public void Every_zip_record_mutation_reads_the_original_or_fails_with_one_clear_line()
    {
        var original = File.ReadAllBytes(Fixture);
        var mutator = new TorchArchiveMutator(original);
        var zip64 = new TorchArchiveMutator(mutator.Zip64Copy());
        var expected = Contents(Fixture);
        var random = new Random(20261125);
        var (loaded, rejected) = Fuzz(i => (i % 2 == 0 ? mutator : zip64).MutateDirectory(random), expected);
        Assert.True(rejected > Mutations / 3, $"only {rejected} of {Mutations} zip mutations were rejected: the mutator is too gentle");
        Assert.True(loaded > 0, "no zip mutation loaded");
    }

    private (int Loaded, int Rejected) Fuzz(Func<int, (byte[] Bytes, string What)> mutate, Dictionary<string, (string DType, long[] Shape, byte[] Bytes)>? expected)
    {
        using var tmp = new TempFolder();
        string target = tmp.File("pytorch_model.bin");
        int loaded = 0, rejected = 0;
        var reasons = new List<string>();
        long largest = 0, allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        for (int i = 0; i < Mutations; i++)
        {
            var (bytes, what) = mutate(i);
            largest = Math.Max(largest, bytes.Length);
            File.WriteAllBytes(target, bytes);
            var clock = Stopwatch.StartNew();
            try
            {
                var contents = Contents(target);
                if (expected is not null)
                {
                    Assert.True(expected.Keys.Order().SequenceEqual(contents.Keys.Order()), $"mutation {i} ({what}): loaded other tensors");
                    foreach (var (name, (dtype, shape, data)) in expected)
                        Assert.True(contents[name].DType == dtype && contents[name].Shape.SequenceEqual(shape) && contents[name].Bytes.AsSpan().SequenceEqual(data), $"mutation {i} ({what}): '{name}' reads differently");
                }
                loaded++;
            }
            catch (QuantaException e)
            {
                Assert.False(e.Message.Contains('\n'), $"mutation {i} ({what}): a multi-line message: {e.Message}");
                Assert.True(e.Message.StartsWith(target + ":", StringComparison.Ordinal), $"mutation {i} ({what}): the message does not name the file: {e.Message}");
                rejected++;
                reasons.Add(Reason(e.Message[(target.Length + 1)..]));
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} ({what}): {e.GetType().Name}: {e.Message}");
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"mutation {i} ({what}) took {clock.Elapsed}");
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        Assert.Equal(Mutations, loaded + rejected);
        output.WriteLine($"{loaded} loaded, {rejected} rejected; most frequent reasons:");
        foreach (var reason in reasons.CountBy(r => r).OrderByDescending(r => r.Value).Take(25))
            output.WriteLine($"  {reason.Value,5} {reason.Key}");
        // Each iteration copies a ~330 KB archive and reads its tensors at most twice over (bytes and float32).
        Assert.True(allocated < Mutations * 16L * largest, $"{allocated:N0} bytes allocated for {Mutations} mutations");
        return (loaded, rejected);
    }

    /// <summary>The message without its numbers and quoted names, to count kinds of rejection.</summary>
    private static string Reason(string message)
    {
        string general = System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(message, "'[^']*'", "'…'"), @"-?\d+", "N");
        return general[..Math.Min(110, general.Length)];
    }

    /// <summary>Every tensor's dtype, shape and row-major bytes; float tensors are also read as float32 (the non-finite check).</summary>
    private static Dictionary<string, (string DType, long[] Shape, byte[] Bytes)> Contents(string path)
    {
        using var file = TorchCheckpointFile.Open(path);
        var result = new Dictionary<string, (string, long[], byte[])>(StringComparer.Ordinal);
        foreach (var name in file.Names)
        {
            var info = file.Info(name);
            if (info.DType is "F32" or "F16" or "BF16")
                Assert.Equal(info.ElementCount, file.ReadFloat32(name).LongLength);
            result[name] = (info.DType, info.Shape, file.ReadBytes(name));
        }
        return result;
    }
}
