using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;
using QuantaProbe.Decompose.TokenScaling;
using QuantaProbe.Core.Contracts;

namespace QuantaProbe.Decompose.Stage;

/// <summary>The token_scaling parts a pass writes: those this shard owns that are not complete yet.</summary>
internal sealed record TokenScalingPlan(string Folder, TokenCurveClassifier Classifier, IReadOnlySet<long> Parts);

/// <summary>What a pass over the losses gathered, per model name.</summary>
internal sealed record LossesPassResult(Dictionary<string, DocumentLosses> Documents, Dictionary<string, LossDistributionBuilder> Distributions, long TokenScalingWritten);

/// <summary>
/// Decompose's one read of the losses: part by part, each model's part is read once and handed to every
/// consumer — per-document sums (the bootstrap), the loss distribution, the size series' token_scaling
/// part, the QDG samples' loss curves, and the analyses' <see cref="ILossesConsumer"/>s (which also get the part's
/// tokens). Memory holds one part of each size of the series at a time.
/// </summary>
internal static class LossesPass
{
    public static async Task<LossesPassResult> RunAsync(IReadOnlyList<FamilyModel> family, Func<FamilyModel, string> lossesOf, IngestedRun run,
        IReadOnlyList<FamilyModel> series, TokenScalingPlan? tokenScaling, IReadOnlyCollection<SampleLossCurves> curves, IReadOnlyList<ILossesConsumer> consumers,
        CancellationToken cancel)
    {
        var documents = family.ToDictionary(m => m.Name, _ => DocumentLosses.Empty(run.Documents));
        var distributions = family.ToDictionary(m => m.Name, _ => new LossDistributionBuilder());
        var seriesIndex = series.Select((m, i) => (m.Name, i)).ToDictionary(x => x.Name, x => x.i);
        var seriesFolders = series.Select(lossesOf).ToList();
        long written = 0;
        for (long p = 0; p < run.Parts; p++)
        {
            var seriesParts = new LossesPart[series.Count];
            if (consumers.Count > 0)
            {
                var tokens = await TokensPartReader.ReadAsync(PartFiles.PathOf(run.TokensFolder, p));
                foreach (var c in consumers)
                    c.BeginPart(p, tokens);
            }
            foreach (var m in family)
            {
                cancel.ThrowIfCancellationRequested();
                var part = await RequiredLossesPart.ReadAsync(lossesOf(m), p);
                documents[m.Name].Add(part, PartFiles.PathOf(lossesOf(m), p));
                distributions[m.Name].Add(part.Losses);
                foreach (var c in consumers)
                    c.Add(m, part, PartFiles.PathOf(lossesOf(m), p));
                if (seriesIndex.TryGetValue(m.Name, out int s))
                {
                    seriesParts[s] = part;
                    foreach (var c in curves)
                        c.Add(s, part);
                }
            }
            if (tokenScaling is not null && tokenScaling.Parts.Contains(p))
            {
                await TokenScalingWriter.WriteAsync(tokenScaling.Folder, p, series, seriesParts, seriesFolders, tokenScaling.Classifier);
                written++;
            }
        }
        return new LossesPassResult(documents, distributions, written);
    }
}
