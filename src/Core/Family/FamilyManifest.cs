using QuantaProbe.Core;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuantaProbe.Core.Family;

/// <summary>
/// family.json: {"models": [{"name", "path", "step"}]}. Paths under the manifest's folder are
/// stored relative to it (so a run folder can move) and returned absolute.
/// </summary>
public static class FamilyManifest
{
    public const string FileName = "family.json";

    public static IReadOnlyList<FamilyMember> Read(string manifestPath)
    {
        if (!File.Exists(manifestPath))
            throw new QuantaException($"{manifestPath}: family manifest not found; create it with `quanta export`.");
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(manifestPath)); }
        catch (JsonException e) { throw Bad(manifestPath, $"not valid JSON ({e.Message})"); }
        if (root?["models"] is not JsonArray models)
            throw Bad(manifestPath, "no \"models\" array");

        var members = new List<FamilyMember>();
        foreach (var node in models)
        {
            if (node is not JsonObject m
                || m["name"] is not JsonValue nameValue || !nameValue.TryGetValue(out string? name) || string.IsNullOrWhiteSpace(name)
                || m["path"] is not JsonValue pathValue || !pathValue.TryGetValue(out string? path) || string.IsNullOrWhiteSpace(path))
                throw Bad(manifestPath, "every model needs a non-empty \"name\" and \"path\"");
            long? step = null;
            if (m["step"] is JsonValue stepValue)
                step = stepValue.TryGetValue(out long s) && s >= 0 ? s : throw Bad(manifestPath, $"model '{name}' has a step that is not a non-negative integer");
            if (members.Any(x => x.Name == name))
                throw Bad(manifestPath, $"model '{name}' is listed twice");
            members.Add(new FamilyMember(name, Path.GetFullPath(Path.Combine(folder, path)), step));
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
        Directory.CreateDirectory(folder);
        var array = new JsonArray();
        foreach (var m in members)
            array.Add(new JsonObject { ["name"] = m.Name, ["path"] = Portable(folder, m.Path), ["step"] = m.Step });
        string text = new JsonObject { ["models"] = array }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        AtomicFile.WriteAllText(manifestPath, text);
    }

    private static string Portable(string folder, string path)
    {
        string relative = Path.GetRelativePath(folder, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }

    private static QuantaException Bad(string path, string what) => new($"{path}: {what}; fix the family manifest, or delete it and re-run `quanta export`.");
}
