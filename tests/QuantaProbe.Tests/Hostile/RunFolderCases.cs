namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Part files of a run folder truncated or replaced with garbage: the stage that reads them names
/// the file and says to delete it and re-run the stage that wrote it.
/// </summary>
internal static class RunFolderCases
{
    private const string Model = BaseRun.Model;

    public static readonly HostileCase[] All =
    [
        Part("run folder: tokens part garbage, read by infer", "tokens/part-00001.parquet", Garbage, "losses",
            run => ["infer", "--run", run, "--threads", "1"], "quanta ingest"),
        Part("run folder: tokens part truncated, read by infer", "tokens/part-00000.parquet", Truncate, "losses",
            run => ["infer", "--run", run, "--threads", "1"], "quanta ingest"),
        Part("run folder: losses part truncated, read by gradients", $"losses/model={Model}/part-00000.parquet", Truncate, "gradients",
            run => ["gradients", "--run", run, "--model", Model, "--select", "all", "--n", "16", "--k-in", "4", "--k-out", "4", "--threads", "1"], "quanta infer"),
        Part("run folder: losses part garbage, read by decompose", $"losses/model={Model}/part-00001.parquet", Garbage, "decompose",
            run => ["decompose", "--run", run, "--k", "2,4", "--reference-k", "2", "--resamples", "10", "--qdg-resamples", "10"], "quanta infer"),
        Part("run folder: gradients part garbage, read by decompose", $"gradients/model={Model}/part-00000.parquet", Garbage, "decompose",
            run => ["decompose", "--run", run, "--k", "2,4", "--reference-k", "2", "--resamples", "10", "--qdg-resamples", "10"], "quanta gradients"),
        Part("run folder: documents part truncated, read by decompose", "documents/part-00000.parquet", Truncate, "decompose",
            run => ["decompose", "--run", run, "--k", "2,4", "--reference-k", "2", "--resamples", "10", "--qdg-resamples", "10"], "quanta ingest"),
        Part("run folder: selection.parquet garbage, read by decompose", $"gradients/model={Model}/selection.parquet", Garbage, "decompose",
            run => ["decompose", "--run", run, "--k", "2,4", "--reference-k", "2", "--resamples", "10", "--qdg-resamples", "10"], "quanta gradients"),
        Part("run folder: model.json not JSON, read by gradients", $"models/{Model}/model.json", Garbage, "gradients",
            run => ["gradients", "--run", run, "--model", Model, "--select", "all", "--n", "16", "--k-in", "8", "--k-out", "8", "--threads", "1"], "quanta export"),
        Part("run folder: family.json not JSON, read by infer", "models/family.json", Garbage, "losses",
            run => ["infer", "--run", run, "--threads", "1"], "quanta export"),
        Part("run folder: documents part deleted, read by decompose", "documents/part-00000.parquet", Deleted, "decompose",
            run => ["decompose", "--run", run, "--k", "2,4", "--reference-k", "2", "--resamples", "10", "--qdg-resamples", "10"], "quanta ingest"),
    ];

    private static byte[]? Deleted(byte[] bytes) => null;

    private static byte[] Garbage(byte[] bytes) => OnnxCases.RandomBytes(Math.Max(64, bytes.Length), seed: bytes.Length);

    private static byte[] Truncate(byte[] bytes) => bytes[..(bytes.Length * 2 / 3)];

    /// <summary>
    /// Breaks one file of the scored run, removes the output of the stage under test (so it has to
    /// read the broken file), and runs that stage.
    /// </summary>
    private static HostileCase Part(string name, string file, Func<byte[], byte[]?> breakIt, string stageOutput, Func<string, string[]> command, string fix) =>
        new(name, w =>
        {
            var run = w.ScoredRun();
            var path = Path.Combine(run, file);
            if (breakIt(File.ReadAllBytes(path)) is { } broken)
                File.WriteAllBytes(path, broken);
            else
                File.Delete(path);
            var output = Path.Combine(run, stageOutput);
            if (Directory.Exists(output))
                Directory.Delete(output, recursive: true);
            string[] untrusted = stageOutput switch
            {
                "losses" => [Path.Combine(run, "losses", "model=" + Model, "part-00000.parquet"), Path.Combine(run, "losses", "model=" + Model, "part-00001.parquet")],
                "gradients" => [Path.Combine(run, "gradients", "model=" + Model, "part-00000.parquet")],
                _ => [Path.Combine(run, "decompose", "summary.json")],
            };
            return new HostileInvocation(command(run), path, fix, untrusted);
        });
}
