using System.CommandLine;
using QuantaProbe.Core.Options;

namespace QuantaProbe.Cli;

/// <summary>
/// A command's options made from settings (one flag per setting, help with its default), and the
/// parsed command line read back through the settings' own parsing and checks.
/// </summary>
internal sealed class CliSettings
{
    private readonly Dictionary<Setting, Option> _options = [];

    public CliSettings(IEnumerable<Setting> settings)
    {
        foreach (var setting in settings.Where(s => s.OnCli))
            _options.Add(setting, Create(setting));
    }

    public IEnumerable<Option> Options => _options.Values;

    /// <summary>A command with these settings as its options.</summary>
    public Command Command(string name, string description)
    {
        var command = new Command(name, description);
        foreach (var option in Options)
            command.Options.Add(option);
        return command;
    }

    public ISettingSource Read(ParseResult parse) => new Source(this, parse);

    private static Option Create(Setting setting)
    {
        string help = setting.DefaultHelp is { } d && setting.ValueType != typeof(bool) ? $"{setting.Help} (default: {d})" : setting.Help;
        if (setting.ValueType == typeof(bool))
            return new Option<bool>(setting.Flag) { Description = help };
        if (setting.ValueType == typeof(IReadOnlyList<string>))
            return new Option<string[]>(setting.Flag) { Description = help, Required = setting.CliRequired, AllowMultipleArgumentsPerToken = true };
        return new Option<string>(setting.Flag) { Description = help, Required = setting.CliRequired };
    }

    private sealed class Source(CliSettings settings, ParseResult parse) : ISettingSource
    {
        public T Get<T>(Setting<T> setting)
        {
            if (!settings._options.TryGetValue(setting, out var option))
                return setting.OnCli ? throw new InvalidOperationException($"{setting.Flag} is not an option of this command") : setting.Default;
            if (parse.GetResult(option) is null)
                return setting.Default;
            return option switch
            {
                Option<bool> flag => (T)(object)parse.GetValue(flag),
                Option<string[]> many => setting.Check((T)(object)(IReadOnlyList<string>)(parse.GetValue(many) ?? [])),
                Option<string> one => setting.Parse(parse.GetValue(one)!),
                _ => throw new InvalidOperationException($"{setting.Flag}: unexpected option type"),
            };
        }

        public bool Has(Setting setting) => settings._options.TryGetValue(setting, out var option) && parse.GetResult(option) is not null;
    }
}
