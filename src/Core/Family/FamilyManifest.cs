using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Core.Family;

/// <summary>
/// Reads and writes family.json (<see cref="FamilyFile"/>). Paths under the manifest's folder are
/// stored relative to it (so a run folder can move) and returned absolute.
/// </summary>
public static class FamilyManifest
{
    public const string FileName = RunPaths.FamilyFile;

    private const string Fix = "fix the family manifest, or delete it and re-run `quanta export`";

    public static IReadOnlyList<FamilyMember> Read(string manifestPath)
    {
        if (!File.Exists(manifestPath))
            throw new QuantaException($"{manifestPath}: family manifest not found; create it with `quanta export`.");
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var file = ContractFile.Read(manifestPath, ContractsJson.Default.FamilyFile, Fix);
        var members = new List<FamilyMember>();
        foreach (var m in file.Models)
        {
            if (string.IsNullOrWhiteSpace(m.Name) || string.IsNullOrWhiteSpace(m.Path))
                throw Bad(manifestPath, "every model needs a non-empty \"name\" and \"path\"");
            if (m.Step is < 0)
                throw Bad(manifestPath, $"model '{m.Name}' has a step that is not a non-negative integer");
            if (members.Any(x => x.Name == m.Name))
                throw Bad(manifestPath, $"model '{m.Name}' is listed twice");
            members.Add(new FamilyMember(m.Name, Path.GetFullPath(Path.Combine(folder, m.Path)), m.Step));
        }
        return members;
    }

    /// <summary>Adds the member, or replaces the one with the same name in place; writes atomically.</summary>
    public static void AddOrUpdate(string manifestPath, FamilyMember member)
    {
        var members = File.Exists(manifestPath) ? Read(manifestPath).ToList() : [];
        int existing = members.FindIndex(m => m.Name == member.Name);
        var resolved = member with { Path = Path.GetFullPath(member.Path) };
        if (existing >= 0)
            members[existing] = resolved;
        else
            members.Add(resolved);

        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        var file = new FamilyFile(FamilyFile.CurrentSchemaVersion, members.Select(m => new FamilyEntry(m.Name, Portable(folder, m.Path), m.Step)).ToList());
        ContractFile.Write(manifestPath, file, ContractsJson.Default.FamilyFile);
    }

    private static string Portable(string folder, string path)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    private static QuantaException Bad(string path, string what) => new($"{path}: {what}; {Fix}.");
}
