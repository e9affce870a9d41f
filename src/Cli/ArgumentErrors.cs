using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace QuantaProbe.Cli;

/// <summary>
/// A command line the parser rejects (an unknown command or option, a missing required option) as one
/// line in quanta's style, with the help to read, instead of the parser's lines and a help dump.
/// </summary>
internal static class ArgumentErrors
{
    /// <summary>Writes the line and returns true when <paramref name="parse"/> has errors.</summary>
    public static bool Report(ParseResult parse)
    {
        if (parse.Errors.Count == 0)
            return false;
        // The token the parser could not place says more than "required command was not provided": it goes first.
        var what = parse.Errors.Select(e => Regex.Replace(e.Message.Trim().TrimEnd('.'), " as expected type '[^']*'", ""))
            .Distinct()
            .OrderBy(m => m.StartsWith("Required", StringComparison.Ordinal))
            .Select(m => m.Length > 0 ? char.ToLowerInvariant(m[0]) + m[1..] : m);
        Console.Error.WriteLine($"error: {string.Join("; ", what)}; see {CommandPath(parse.CommandResult)} --help");
        return true;
    }

    /// <summary>"quanta toy sparse-parity": the names from the root to the command the parser reached.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult c)
                names.Add(c.Command is RootCommand ? "quanta" : c.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
