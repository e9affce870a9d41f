namespace QuantaProbe.Tests;

/// <summary>Paths into ../shared (beside the repository), which tests may read.</summary>
internal static class SharedData
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Root { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Tokenizer(string name) => Path.Combine(Root, "tokenizers", name, "tokenizer.json");
    public static string Corpus(string file) => Path.Combine(Root, "corpora", file);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "QuantaProbe.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("QuantaProbe.sln not found above " + AppContext.BaseDirectory);
    }
}
