namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// A small run built once through the CLI (ingest 12 held-out documents, export one shared model,
/// infer, gradients of 16 tokens) and copied for each case that breaks a file of it.
/// </summary>
internal static class BaseRun
{
    public const string Model = HostileWorkspace.SmallModel;
    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly TempFolder Holder = CreateHolder();

    private static TempFolder CreateHolder()
    {
        var holder = new TempFolder();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => holder.Dispose();
        return holder;
    }

    public static string CopyTo(string target)
    {
        Copy(Built.Value, target);
        return target;
    }

    private static string Build()
    {
        var corpus = Holder.File("corpus.jsonl", string.Join("\n", File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(12)) + "\n");
        var run = Path.Combine(Holder.Path, "run");
        Quanta("ingest", "--corpus", corpus, "--tokenizer", HostileWorkspace.Tokenizer, "--out", run, "--context-length", "64", "--docs-per-part", "6");
        Quanta("export", "--checkpoint", Path.Combine(SharedData.Root, "models", Model), "--out", Path.Combine(run, "models"));
        Quanta("infer", "--run", run, "--threads", "1");
        Quanta("gradients", "--run", run, "--model", Model, "--select", "all", "--n", "16", "--k-in", "4", "--k-out", "4", "--threads", "1");
        return run;
    }

    private static void Quanta(params string[] args)
    {
        var (code, _, err) = QuantaProcess.Run(args);
        Assert.True(code == 0, $"building the base run: quanta {string.Join(' ', args)}: {err}");
    }

    private static void Copy(string source, string target)
    {
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, dir)));
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            // model.json records absolute paths of the exported model: copy it with the paths moved.
            if (Path.GetFileName(file) is "model.json" or "family.json")
                File.WriteAllText(to, File.ReadAllText(file).Replace(source, target));
            else
                File.Copy(file, to);
        }
    }
}
