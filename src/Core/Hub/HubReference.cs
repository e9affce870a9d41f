using System.Text.RegularExpressions;

namespace QuantaProbe.Core.Hub;

/// <summary>
/// A model on the Hugging Face hub as the ecosystem names it: <c>ORG/NAME[@REVISION]</c> (or
/// <c>hf://ORG/NAME[@REVISION]</c>, which is never taken for a local path). The revision is a branch
/// or tag (<c>main</c>, Pythia's <c>step3000</c>) or a 40-hex commit; the default is <c>main</c>.
/// </summary>
public sealed partial record HubReference(string Organization, string Name, string Revision)
{
    public const string DefaultRevision = "main";
    public const string Scheme = "hf://";

    /// <summary>ORG/NAME, the repository id the hub and huggingface-cli use.</summary>
    public string RepoId => $"{Organization}/{Name}";

    /// <summary>The repository's folder in a hub cache: models--ORG--NAME.</summary>
    public string CacheFolderName => $"models--{Organization}--{Name}";

    public bool IsCommit => CommitPattern().IsMatch(Revision);

    /// <summary>NAME-REVISION (e.g. pythia-70m-step3000); a commit is shortened to its first 10 digits.</summary>
    public string DefaultModelName => $"{Name}-{(IsCommit ? Revision[..10] : Revision.Replace('/', '-'))}";

    /// <summary>The training step a revision names (step3000 → 3000), as Pythia's revisions do; else null.</summary>
    public long? Step => StepPattern().Match(Revision) is { Success: true } m && long.TryParse(m.Groups[1].Value, out long s) ? s : null;

    public override string ToString() => $"{RepoId}@{Revision}";

    /// <summary>Whether <paramref name="text"/> is a hub name by its spelling (whether it is also a local path is the caller's question).</summary>
    public static bool TryParse(string text, out HubReference reference)
    {
        reference = null!;
        string body = text.StartsWith(Scheme, StringComparison.Ordinal) ? text[Scheme.Length..] : text;
        var match = NamePattern().Match(body);
        if (!match.Success || body.Contains("..", StringComparison.Ordinal) || body.Contains("--", StringComparison.Ordinal))
            return false;
        reference = new HubReference(match.Groups["org"].Value, match.Groups["name"].Value,
            match.Groups["rev"].Success ? match.Groups["rev"].Value : DefaultRevision);
        return true;
    }

    public static HubReference Parse(string text) =>
        TryParse(text, out var reference) ? reference
        : throw new QuantaException($"{text}: not a hub name; write ORG/NAME or ORG/NAME@REVISION, e.g. EleutherAI/pythia-70m@step3000");

    /// <summary>Written with the explicit hf:// scheme: always the hub, never a local path.</summary>
    public static bool IsExplicit(string text) => text.StartsWith(Scheme, StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<org>[A-Za-z0-9][A-Za-z0-9._-]*)/(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:@(?<rev>[A-Za-z0-9._-][A-Za-z0-9._/-]*))?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();

    [GeneratedRegex(@"^step(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex StepPattern();
}
