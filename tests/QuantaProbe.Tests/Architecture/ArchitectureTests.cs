using System.Reflection;
using System.Xml.Linq;

namespace QuantaProbe.Tests.Architecture;

/// <summary>
/// The layering the README's architecture section states: each project references only the projects
/// listed for it (downward). <see cref="NamespaceGraph"/> finds namespace cycles from the compiled code.
/// </summary>
[Trait("tier", "fast")]
public class ArchitectureTests
{
    [Fact]
    public void Projects_reference_only_what_the_architecture_allows()
    {
        var violations = new List<string>();
        foreach (var (project, references) in ProjectReferences())
        {
            if (!ProjectLayers.Allowed.TryGetValue(project, out var allowed))
            {
                violations.Add($"{project} is not in the README's architecture table (ProjectLayers.Allowed)");
                continue;
            }
            foreach (var r in references.Where(r => !allowed.Contains(r)))
                violations.Add($"{project} references {r}, which the architecture does not allow");
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    /// <summary>Namespace cycles the code still has. A new cycle, or one that grows, fails.</summary>
    private static readonly string[][] KnownCycles = [];

    [Fact]
    public void No_namespace_cycle_beyond_the_known_ones()
    {
        var assemblies = ProjectLayers.Allowed.Keys.Where(p => p is not ("QuantaProbe.Cli" or "QuantaProbe.Tests" or "QuantaProbe.Bench")).Select(Assembly.Load);
        var cycles = NamespaceGraph.Cycles(NamespaceGraph.Of(assemblies));
        var unknown = cycles.Where(c => !KnownCycles.Any(k => c.All(k.Contains))).ToList();
        Assert.True(unknown.Count == 0, "namespace cycles:\n" + string.Join("\n", unknown.Select(c => string.Join(" ↔ ", c))));
    }

    [Fact]
    public void The_cycle_finder_finds_a_planted_cycle()
    {
        var edges = new Dictionary<string, SortedSet<string>>
        {
            ["QuantaProbe.A"] = ["QuantaProbe.B"],
            ["QuantaProbe.B"] = ["QuantaProbe.C"],
            ["QuantaProbe.C"] = ["QuantaProbe.A"],
            ["QuantaProbe.D"] = ["QuantaProbe.A"],
        };
        var cycle = Assert.Single(NamespaceGraph.Cycles(edges));
        Assert.Equal(["QuantaProbe.A", "QuantaProbe.B", "QuantaProbe.C"], cycle);
    }

    /// <summary>Every project of the solution (by assembly name) and the projects it references.</summary>
    private static Dictionary<string, List<string>> ProjectReferences()
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var csproj in Directory.EnumerateFiles(SharedData.RepoRoot, "*.csproj", SearchOption.AllDirectories)
                     .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")))
        {
            var doc = XDocument.Load(csproj);
            result[Path.GetFileNameWithoutExtension(csproj)] = doc.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/'))).Order(StringComparer.Ordinal).ToList();
        }
        return result;
    }
}
