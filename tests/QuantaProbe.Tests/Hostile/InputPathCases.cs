using System.Runtime.InteropServices;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Inputs that are not regular files (FIFOs, devices, folders) and output paths that cannot be run folders:
/// refused before anything is opened for reading (a FIFO would block the open for ever), with one line.
/// </summary>
internal static class InputPathCases
{
    public static readonly HostileCase[] All =
    [
        new("checkpoint: model.safetensors is a FIFO", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var weights = Path.Combine(checkpoint, "model.safetensors");
            File.Delete(weights);
            Fifo(weights);
            return new HostileInvocation(w.Export(checkpoint), weights, "named pipe (FIFO)", w.UntrustedExport());
        }),
        new("checkpoint: config.json is a FIFO", w =>
        {
            var checkpoint = w.FixtureCheckpoint();
            var config = Path.Combine(checkpoint, "config.json");
            File.Delete(config);
            Fifo(config);
            return new HostileInvocation(w.Export(checkpoint), config, "named pipe (FIFO)", w.UntrustedExport());
        }),
        new("corpus: a FIFO named .jsonl", w =>
        {
            var corpus = w.PathOf("c.jsonl");
            Fifo(corpus);
            return new HostileInvocation(w.Ingest(corpus, HostileWorkspace.Tokenizer), corpus, "named pipe (FIFO)", [w.PathOf("run/ingest.json")]);
        }),
        new("corpus: a FIFO inside the corpus folder", w =>
        {
            var folder = Directory.CreateDirectory(w.PathOf("corpus")).FullName;
            File.Copy(w.Corpus(), Path.Combine(folder, "a.jsonl"));
            var pipe = Path.Combine(folder, "b.jsonl");
            Fifo(pipe);
            return new HostileInvocation(w.Ingest(folder, HostileWorkspace.Tokenizer), pipe, "named pipe (FIFO)", [w.PathOf("run/ingest.json"), w.PathOf("run/tokens/part-00000.parquet")]);
        }),
        new("corpus: a link to a character device", w =>
        {
            var corpus = w.PathOf("zero.jsonl");
            File.CreateSymbolicLink(corpus, "/dev/zero");
            return new HostileInvocation(w.Ingest(corpus, HostileWorkspace.Tokenizer), corpus, "character device", [w.PathOf("run/ingest.json")]);
        }),
        new("tokenizer.json: a FIFO", w =>
        {
            var tokenizer = w.PathOf("tokenizer.json");
            Fifo(tokenizer);
            return new HostileInvocation(w.Ingest(w.Corpus(), tokenizer), tokenizer, "named pipe (FIFO)", [w.PathOf("run/ingest.json")]);
        }),
        new("run config: a FIFO", w =>
        {
            var config = w.PathOf("config.yaml");
            Fifo(config);
            return new HostileInvocation(["run", config], config, "named pipe (FIFO)", [w.PathOf("run/run.json")]);
        }),
        new("run folder: --out inside the --corpus folder", w =>
        {
            var folder = Directory.CreateDirectory(w.PathOf("corpus")).FullName;
            File.Copy(w.Corpus(), Path.Combine(folder, "a.jsonl"));
            var run = Path.Combine(folder, "run");
            return new HostileInvocation(["ingest", "--corpus", folder, "--tokenizer", HostileWorkspace.Tokenizer, "--out", run], run, "inside the corpus folder",
                [Path.Combine(run, "ingest.json"), Path.Combine(run, "tokens", "part-00000.parquet")]);
        }),
        new("run folder: --out is an existing file", w =>
        {
            var corpus = w.Corpus();
            return new HostileInvocation(["ingest", "--corpus", corpus, "--tokenizer", HostileWorkspace.Tokenizer, "--out", corpus], corpus, "is a file, not a run folder");
        }),
        new("run folder: --run is an existing file", w =>
        {
            var corpus = w.Corpus();
            return new HostileInvocation(["infer", "--run", corpus], corpus, "is a file, not a run folder");
        }),
        new("run config: run_folder is an existing file", w =>
        {
            w.Corpus();
            var config = w.Write("config.json", $$"""{"run_folder": "corpus.jsonl", "corpus": "corpus.jsonl", "tokenizer": "{{HostileWorkspace.Tokenizer}}", "family": ["m"]}""");
            return new HostileInvocation(["run", config], config, "is a file, not a run folder");
        }),
        new("run config: run_folder inside the corpus folder", w =>
        {
            var folder = Directory.CreateDirectory(w.PathOf("corpus")).FullName;
            File.Copy(w.Corpus(), Path.Combine(folder, "a.jsonl"));
            var config = w.Write("config.json", $$"""{"run_folder": "corpus/run", "corpus": "corpus", "tokenizer": "{{HostileWorkspace.Tokenizer}}", "family": ["m"]}""");
            return new HostileInvocation(["run", config], config, "inside the corpus folder", [Path.Combine(folder, "run", "run.json")]);
        }),
        Selection("selection file: a token past the documents", w => SelectionParquet(w, [(999_999L, 1)]), "doc_id 999999 pos 1"),
        Selection("selection file: pos 0 (not a predicted token)", w => SelectionParquet(w, [(0L, 0)]), "doc_id 0 pos 0"),
        Selection("selection file: negative doc_id", w => SelectionParquet(w, [(-5L, 3)]), "doc_id -5"),
        Selection("selection file: pos past its document", w => SelectionParquet(w, [(1L, 10_000)]), "that document has"),
        Selection("selection file: not Parquet", w => w.Write("selection.parquet", "doc_id,pos\n1,2\n"), "not a readable selection file"),
        Selection("selection file: Parquet without pos", w =>
        {
            // A documents part is Parquet with doc_id but no pos.
            var path = w.PathOf("selection.parquet");
            File.Copy(Path.Combine(w.PathOf("run"), "documents", "part-00000.parquet"), path);
            return path;
        }, "doc_id (int64) and pos (int32)"),
    ];

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    public static void Fifo(string path) => Assert.True(MakeFifo(path, Convert.ToUInt32("644", 8)) == 0, $"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>Gradients with a selection file on the scored base run (its gradients removed, so nothing may appear).</summary>
    private static HostileCase Selection(string name, Func<HostileWorkspace, string> file, string phrase) =>
        new(name, w =>
        {
            var run = w.ScoredRun();
            Directory.Delete(Path.Combine(run, "gradients"), recursive: true);
            var selection = file(w);
            var folder = Path.Combine(run, "gradients", "model=" + BaseRun.Model);
            return new HostileInvocation(["gradients", "--run", run, "--model", BaseRun.Model, "--select", "file", "--selection-file", selection, "--k-in", "4", "--k-out", "4", "--threads", "1"],
                selection, phrase, [Path.Combine(folder, "selection.parquet"), Path.Combine(folder, "part-00000.parquet")]);
        });

    private static string SelectionParquet(HostileWorkspace w, (long DocId, int Pos)[] rows)
    {
        var path = w.PathOf("selection.parquet");
        WriteSelection(path, rows).GetAwaiter().GetResult();
        return path;
    }

    private static async Task WriteSelection(string path, (long DocId, int Pos)[] rows)
    {
        var docId = new Parquet.Schema.DataField<long>("doc_id");
        var pos = new Parquet.Schema.DataField<int>("pos");
        await using var stream = File.Create(path);
        await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(docId, pos), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(docId, (ReadOnlyMemory<long>)rows.Select(r => r.DocId).ToArray());
        await group.WriteAsync(pos, (ReadOnlyMemory<int>)rows.Select(r => r.Pos).ToArray());
    }
}
