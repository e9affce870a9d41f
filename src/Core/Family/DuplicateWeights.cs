using QuantaProbe.Core.Contracts;
namespace QuantaProbe.Core.Family;

/// <summary>Family members whose weights are identical (the same weights_sha256 in model.json).</summary>
public sealed record SameWeights(string WeightsSha256, IReadOnlyList<string> Models)
{
    /// <summary>One line for stderr, naming every model of the group.</summary>
    public string Warning =>
        $"warning: {DuplicateWeights.Join(Models)} have identical weights (weights_sha256 {WeightsSha256[..Math.Min(12, WeightsSha256.Length)]}…): "
        + "one checkpoint under several names (the hub serves some revisions with another's weights), so their results are one model's";
}

/// <summary>
/// Finds family members with identical weights. Pythia's hub has revisions that serve another
/// revision's weights (step0 = step1, and more); a scaling curve through them is flat by
/// construction, so export, run, decompose and the report say so next to those models.
/// </summary>
public static class DuplicateWeights
{
    /// <summary>Groups of two or more models sharing a fingerprint, in the order the models come; models without one are left out.</summary>
    public static IReadOnlyList<SameWeights> Find(IEnumerable<(string Name, string? WeightsSha256)> models) =>
        models.Where(m => !string.IsNullOrEmpty(m.WeightsSha256))
            .GroupBy(m => m.WeightsSha256!, StringComparer.Ordinal)
            .Where(g => g.Count() >= 2)
            .Select(g => new SameWeights(g.Key, g.Select(m => m.Name).ToList()))
            .ToList();

    /// <summary>The groups among the exported members of RUN/models/family.json (only those named in <paramref name="names"/>, when given).</summary>
    public static IReadOnlyList<SameWeights> InFamily(string familyFolder, IReadOnlyCollection<string>? names = null)
    {
        string manifest = Path.Combine(familyFolder, FamilyManifest.FileName);
        if (!File.Exists(manifest))
            return [];
        return Find(FamilyManifest.Read(manifest)
            .Where(m => names is null || names.Contains(m.Name))
            .Select(m => (m.Name, ModelInfo.TryRead(m.Path)?.WeightsSha256)));
    }

    /// <summary>a and b; a, b and c.</summary>
    public static string Join(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
