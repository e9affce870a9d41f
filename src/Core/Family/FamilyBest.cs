using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Core.Family;

/// <summary>
/// The family's best model, whose losses stand for the corpus (decompose's γ): the most non-embedding parameters, then the
/// latest step, then the first name — decompose's largest size at its latest step.
/// </summary>
public static class FamilyBest
{
    public static FamilyMember Of(string runFolder)
    {
        var manifest = RunPaths.FamilyManifest(runFolder);
        var family = FamilyManifest.Read(manifest);
        if (family.Count == 0)
            throw new QuantaException($"{manifest}: the family has no models; add them with `quanta export`");
        return family.Select(m => (Member: m, Info: ModelInfo.TryRead(m.Path)
                ?? throw new QuantaException($"{ModelInfo.PathIn(m.Path)}: not found; re-run `quanta export` for {m.Name}")))
            .OrderByDescending(x => x.Info.NonEmbeddingParameters ?? x.Info.Parameters).ThenByDescending(x => x.Member.Step ?? long.MinValue)
            .ThenBy(x => x.Member.Name, StringComparer.Ordinal).First().Member;
    }
}
