namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// One hostile input: <see cref="Arrange"/> builds it in a fresh folder and says which `quanta`
/// command a user would run on it, which file the error must name, and what must not exist afterwards.
/// </summary>
internal sealed record HostileCase(string Name, Func<HostileWorkspace, HostileInvocation> Arrange);

/// <summary>
/// A command line, the file its one-line error must name, an optional phrase the message must
/// contain, and outputs a later stage would trust that must not exist after the failure.
/// </summary>
internal sealed record HostileInvocation(string[] Args, string NamedFile, string? Phrase = null, string[]? Untrusted = null)
{
    /// <summary>Extra environment for the child process (e.g. a GC heap limit).</summary>
    public Dictionary<string, string> Environment { get; init; } = [];
}
