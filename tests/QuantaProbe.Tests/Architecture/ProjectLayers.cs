namespace QuantaProbe.Tests.Architecture;

/// <summary>The README's architecture table: each project and the projects it may reference.</summary>
internal static class ProjectLayers
{
    private const string Heading = "### Architecture: which project may reference which";
    private const string Everything = "every project above";

    public static Dictionary<string, HashSet<string>> Allowed { get; } = Read(Path.Combine(SharedData.RepoRoot, "README.md"));

    private static Dictionary<string, HashSet<string>> Read(string readme)
    {
        var lines = File.ReadAllLines(readme);
        int start = Array.IndexOf(lines, Heading);
        if (start < 0)
            throw new InvalidOperationException($"{readme}: no '{Heading}' section");
        var table = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            var references = cells[1] == Everything
                ? table.Keys.ToHashSet(StringComparer.Ordinal)
                : cells[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            table[cells[0]] = references;
        }
        return table;
    }
}
