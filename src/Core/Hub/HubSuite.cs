using System.Globalization;

namespace QuantaProbe.Core.Hub;

/// <summary>
/// A model suite named compactly: a hub name with brace expansion (<c>EleutherAI/pythia-{70m,160m}</c>,
/// revisions too: <c>…@step{1000..3000..1000}</c>), times a list of steps (revisions stepN) or of
/// revisions. Members come size by size, each size's revisions in the order given.
/// </summary>
public static class HubSuite
{
    public static IReadOnlyList<HubReference> Expand(string suite, IReadOnlyList<string>? revisions)
    {
        var names = BraceExpansion.Expand(suite.StartsWith(HubReference.Scheme, StringComparison.Ordinal) ? suite[HubReference.Scheme.Length..] : suite);
        if (revisions is { Count: > 0 } && suite.Contains('@'))
            throw new FormatException($"{suite} already names its revisions after '@'; drop the @… or the list of steps/revisions");
        var members = new List<HubReference>();
        foreach (string name in names)
            foreach (string revision in revisions is { Count: > 0 } ? revisions : [null!])
            {
                string text = revision is null ? name : $"{name}@{revision}";
                if (!HubReference.TryParse(text, out var reference))
                    throw new FormatException($"{text} (from {suite}) is not a hub name ORG/NAME[@REVISION]");
                members.Add(reference);
            }
        return members;
    }

    /// <summary>The revision Pythia publishes training step <paramref name="step"/> under.</summary>
    public static string StepRevision(long step) => "step" + step.ToString(CultureInfo.InvariantCulture);
}
