using Xunit.Abstractions;
using System.Diagnostics;

namespace QuantaProbe.Tests.Hostile;

/// <summary>
/// Every hostile input, through the `quanta` command a user would run on it, ends in one line
/// `error: …` naming the file, exit code 1, within a bounded time, and leaves no output a later
/// stage would trust (nor a stray temporary).
/// </summary>
[Trait("tier", "slow")]
public class HostileInputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    public static TheoryData<string> Names => [.. HostileCases.All.Select(c => c.Name)];

    [Fact]
    public void The_suite_has_at_least_30_distinct_cases() =>
        Assert.True(HostileCases.All.Select(c => c.Name).Distinct().Count() is var n && n >= 30 && n == HostileCases.All.Count, $"{HostileCases.All.Count} cases");

    [Theory]
    [MemberData(nameof(Names))]
    public void Fails_with_one_line_naming_the_file(string name)
    {
        var hostile = HostileCases.All.Single(c => c.Name == name);
        using var tmp = new TempFolder();
        var invocation = hostile.Arrange(new HostileWorkspace(tmp));

        var clock = Stopwatch.StartNew();
        var (code, _, err) = Run(invocation);
        string message = err.Trim();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s, exit {code}: {message}");

        Assert.True(code == 1, $"{name}: exit code {code} (want 1), stderr: {message}");
        Assert.False(message.Contains('\n'), $"{name}: more than one line: {message}");
        Assert.True(message.StartsWith("error: ", StringComparison.Ordinal), $"{name}: {message}");
        Assert.True(message.Contains(invocation.NamedFile, StringComparison.Ordinal), $"{name}: the message does not name {invocation.NamedFile}: {message}");
        if (invocation.Phrase is { } phrase)
            Assert.True(message.Contains(phrase, StringComparison.Ordinal), $"{name}: the message lacks '{phrase}': {message}");
        Assert.True(clock.Elapsed < Limit, $"{name}: took {clock.Elapsed}");
        foreach (var untrusted in invocation.Untrusted ?? [])
            Assert.False(File.Exists(untrusted), $"{name}: {untrusted} exists after the failure");
        Assert.Empty(Directory.EnumerateFiles(tmp.Path, "*.tmp", SearchOption.AllDirectories));
    }

    private static (int Code, string Out, string Err) Run(HostileInvocation invocation)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "quanta.dll"));
        foreach (var a in invocation.Args)
            info.ArgumentList.Add(a);
        foreach (var (key, value) in invocation.Environment)
            info.Environment[key] = value;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Limit))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"quanta {string.Join(' ', invocation.Args)} did not end within {Limit}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
