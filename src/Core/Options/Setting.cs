using System.Text.Json;
using System.Text.Json.Nodes;

namespace QuantaProbe.Core.Options;

/// <summary>Where a setting can be given: as a command-line flag, as a run-config key, or both.</summary>
[Flags]
public enum SettingPlace
{
    Cli = 1,
    Config = 2,
    Both = Cli | Config,
}

/// <summary>
/// One setting of a stage, declared once: its config key (the flag is the same name in kebab case),
/// help text, default and validation. The CLI binder and the run-config reader both read it, so
/// the two cannot drift, and an error names it in words that fit both:
/// <c>infer batch_tokens (--batch-tokens) 1: must be at least 2</c>.
/// </summary>
public abstract class Setting
{
    private protected Setting(SettingGroup group, string key, string help, SettingPlace place, bool cliRequired)
    {
        (Stage, Section, Key, Help, Place, CliRequired) = (group.Stage, group.Section, key, help, place, cliRequired);
    }

    /// <summary>The stage the setting belongs to ("infer"); null for a run-level setting (device, threads, shard, cache_dir).</summary>
    public string? Stage { get; }
    /// <summary>The run config's object that holds the key ("infer"); null: the config's top level.</summary>
    public string? Section { get; }
    public string Key { get; }
    public string Flag => "--" + Key.Replace('_', '-');
    public string Help { get; }
    public SettingPlace Place { get; }
    public bool OnCli => Place.HasFlag(SettingPlace.Cli);
    public bool InConfig => Place.HasFlag(SettingPlace.Config);
    /// <summary>The command fails without the flag (a config may still leave the key out, see the stage).</summary>
    public bool CliRequired { get; }

    /// <summary>The setting as a user of either the CLI or the config recognizes it.</summary>
    public string Name => Place switch
    {
        SettingPlace.Cli => Flag,
        SettingPlace.Config => Prefix + Key,
        _ => $"{Prefix}{Key} ({Flag})",
    };

    private string Prefix => Stage is null ? "" : Stage + " ";

    public abstract Type ValueType { get; }
    /// <summary>The default as a user would type it; null when there is none (or it is described in the help).</summary>
    public abstract string? DefaultText { get; }
    /// <summary>What the help says of the default: the value, or a description where the value is long or computed.</summary>
    public abstract string? DefaultHelp { get; }

    public QuantaException Invalid(string given, string what) => new($"{Name} {(given.Length == 0 ? "\"\"" : given)}: {what}");

    private protected static string Given(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
}

/// <summary>A setting whose value is a <typeparamref name="T"/>.</summary>
public sealed class Setting<T> : Setting
{
    private readonly SettingFormat<T> _format;
    private readonly Func<T, string?>? _check;
    private readonly string? _defaultHelp;

    internal Setting(SettingGroup group, string key, T @default, SettingFormat<T> format, string help, Func<T, string?>? check, SettingPlace place, bool cliRequired, string? defaultHelp)
        : base(group, key, help, place, cliRequired)
    {
        (Default, _format, _check, _defaultHelp) = (@default, format, check, defaultHelp);
    }

    public T Default { get; }
    public SettingFormat<T> Format => _format;
    public override Type ValueType => typeof(T);
    public override string? DefaultText => _defaultHelp is null && Default is not null && _format.Show(Default) is { Length: > 0 } text ? text : null;
    public override string? DefaultHelp => _defaultHelp ?? DefaultText;

    /// <summary>A command-line value, or a config string: parsed, then checked.</summary>
    public T Parse(string text) => _format.TryParse(text, out var value) ? Checked(value, text) : throw Invalid(text, _format.Expected);

    /// <summary>A config value: a string is read as on the command line; a number, boolean or list by its JSON type.</summary>
    public T Read(JsonNode node)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            return Parse(v.GetValue<string>());
        return _format.TryRead(node, out var value) ? Checked(value, Given(node)) : throw Invalid(Given(node), _format.Expected);
    }

    /// <summary>Throws the setting's one-line error unless the value is valid (for options built in code, too).</summary>
    public T Check(T value) => Checked(value, value is null ? "null" : _format.Show(value));

    private T Checked(T value, string given) => _check?.Invoke(value) is { } what ? throw Invalid(given, what) : value;
}
