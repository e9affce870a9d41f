namespace QuantaProbe.Tests.Hostile;

/// <summary>Hostile pytorch_model.bin files (../shared/fixtures/hostile-torch), through `quanta export --checkpoint`.</summary>
internal static class TorchCases
{
    public static readonly HostileCase[] All =
    [
        Fixture("pickle-exec.bin", "posix.system", "the pickle names a shell command (posix.system) and REDUCEs it"),
        Fixture("missing-storage.bin", "names storage '0'", "data.pkl names a storage the archive lacks"),
        Fixture("truncated.bin", "end-of-central-directory", "the archive cut in half"),
        Fixture("legacy-format.bin", "pre-1.6", "the pre-1.6 non-zip format"),
        Fixture("short-storage.bin", "data.pkl declares", "a storage shorter than its view"),
        Fixture("not-a-state-dict.bin", "not a state dict", "a pickled list"),
        new("pytorch_model.bin: index names a missing shard", w =>
        {
            var checkpoint = TorchCheckpoint(w, "neox-tiny-torch-sharded-bf16");
            var shard = Path.Combine(checkpoint, "pytorch_model-00002-of-00002.bin");
            File.Delete(shard);
            return new HostileInvocation(w.Export(checkpoint), shard, "not found", w.UntrustedExport());
        }),
    ];

    private static HostileCase Fixture(string file, string phrase, string what) =>
        new($"pytorch_model.bin: {file} ({what})", w =>
        {
            var checkpoint = TorchCheckpoint(w, "neox-tiny-torch-f16");
            var target = Path.Combine(checkpoint, "pytorch_model.bin");
            File.Delete(target);
            File.Copy(Path.Combine(SharedData.Root, "fixtures", "hostile-torch", file), target);
            // Python's pickle would have run `touch QUANTA_PICKLE_EXECUTED` in the working directory.
            string executed = Path.Combine(Environment.CurrentDirectory, "QUANTA_PICKLE_EXECUTED");
            return new HostileInvocation(w.Export(checkpoint), target, phrase, [.. w.UntrustedExport(), executed]);
        });

    /// <summary>A copy of a torch fixture's config.json and .bin files (and shard index) as the workspace's checkpoint folder.</summary>
    private static string TorchCheckpoint(HostileWorkspace w, string fixture)
    {
        var source = Path.Combine(SharedData.Root, "fixtures", fixture);
        var target = Path.Combine(w.Root, "checkpoint");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source).Where(f => f.EndsWith(".bin", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith("reference.json", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }
}
