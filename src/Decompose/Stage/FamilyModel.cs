using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;

namespace QuantaProbe.Decompose.Stage;

/// <summary>A model of the run's family with the counts export computed from its weights, and their fingerprint.</summary>
public sealed record FamilyModel(string Name, long? Step, long Parameters, long NonEmbeddingParameters, string? WeightsSha256 = null)
{
    /// <summary>The family of RUN/models/family.json, each with its model.json, by size, then step, then name.</summary>
    public static List<FamilyModel> Load(string runFolder)
    {
        var manifest = RunPaths.FamilyManifest(runFolder);
        var result = new List<FamilyModel>();
        foreach (var member in FamilyManifest.Read(manifest))
        {
            var info = ModelInfo.TryRead(member.Path)
                ?? throw new QuantaException($"{ModelInfo.PathIn(member.Path)}: not found; re-run `quanta export` for {member.Name}");
            result.Add(new FamilyModel(member.Name, member.Step, info.Parameters, info.NonEmbeddingParameters ?? info.Parameters, info.WeightsSha256));
        }
        return result.OrderBy(m => m.NonEmbeddingParameters).ThenBy(m => m.Step ?? long.MinValue).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>One model per size (the latest step of each), smallest first: the series that scaling in N uses.</summary>
    public static List<FamilyModel> SizeSeries(IEnumerable<FamilyModel> family) =>
        family.GroupBy(m => m.NonEmbeddingParameters)
            .Select(g => g.OrderByDescending(m => m.Step ?? long.MinValue).First())
            .OrderBy(m => m.NonEmbeddingParameters).ToList();

    /// <summary>For each size with several steps, its checkpoints in step order.</summary>
    public static List<List<FamilyModel>> StepSeries(IEnumerable<FamilyModel> family) =>
        family.Where(m => m.Step is > 0).GroupBy(m => m.NonEmbeddingParameters)
            .Where(g => g.Select(m => m.Step).Distinct().Count() >= 2)
            .Select(g => g.OrderBy(m => m.Step).ToList()).ToList();
}
