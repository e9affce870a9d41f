using QuantaProbe.Core;
using QuantaProbe.Models.NeoX;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// 1,200 seeded mutations of a real checkpoint's safetensors header: each either loads (every
/// tensor read, counts computed) or fails with a QuantaException naming the file — never another
/// exception, a hang, or an allocation sized by an unchecked number from the file.
/// </summary>
[Trait("tier", "fast")]
public class SafetensorsFuzzTests
{
    private const int Mutations = 1200;

    [Fact]
    public void Every_header_mutation_loads_or_fails_with_one_clear_line()
    {
        string source = Path.Combine(SharedData.Root, "fixtures", "neox-tiny-parallel-bf16");
        var original = File.ReadAllBytes(Path.Combine(source, "model.safetensors"));
        var mutator = new SafetensorsHeaderMutator(original);
        using var tmp = new TempFolder();
        var folder = tmp.Sub("checkpoint");
        File.Copy(Path.Combine(source, "config.json"), Path.Combine(folder, "config.json"));
        string target = Path.Combine(folder, "model.safetensors");

        var random = new Random(20261123);
        int rejected = 0, loaded = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        for (int i = 0; i < Mutations; i++)
        {
            var (bytes, what) = mutator.Mutate(random);
            File.WriteAllBytes(target, bytes);
            try
            {
                using var checkpoint = NeoXCheckpoint.Open(folder);
                checkpoint.CountParameters();
                foreach (var name in checkpoint.ParameterNames)
                    Assert.True(checkpoint.Weights.ReadFloat32(name).Length >= 0);
                loaded++;
            }
            catch (QuantaException e)
            {
                Assert.False(e.Message.Contains('\n'), $"mutation {i} ({what}): a multi-line message: {e.Message}");
                Assert.Contains(folder, e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} ({what}): {e.GetType().Name}: {e.Message}");
            }
        }
        long allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        Assert.Equal(Mutations, rejected + loaded);
        Assert.True(rejected > Mutations / 2, $"only {rejected} of {Mutations} mutations were rejected: the mutator is too gentle");
        // Each iteration reads a 233 KB file and at most its float32 copy: no allocation sized by a lying number.
        Assert.True(allocated < Mutations * 8L * original.Length, $"{allocated:N0} bytes allocated for {Mutations} mutations");
    }
}
