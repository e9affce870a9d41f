namespace QuantaProbe.Core.Options;

/// <summary>
/// The settings of one stage (or of a part of it, such as the token selection of gradients), in the
/// order the CLI lists them; <see cref="Include"/> adds run-level settings the stage's command also takes.
/// </summary>
public sealed class SettingGroup(string? stage, string? section)
{
    private readonly List<Setting> _all = [];

    public string? Stage { get; } = stage;
    public string? Section { get; } = section;
    public IReadOnlyList<Setting> All => _all;

    public Setting<T> Add<T>(string key, T @default, SettingFormat<T> format, string help, Func<T, string?>? check = null,
        SettingPlace place = SettingPlace.Both, bool cliRequired = false, string? defaultHelp = null)
    {
        var setting = new Setting<T>(this, key, @default, format, help, check, place, cliRequired, defaultHelp);
        _all.Add(setting);
        return setting;
    }

    public SettingGroup Include(IEnumerable<Setting> settings)
    {
        _all.AddRange(settings);
        return this;
    }

    /// <summary>
    /// The most tokens a size-like setting may name (a context length, a batch budget): every count has an
    /// upper bound, so no allocation follows an unchecked number.
    /// </summary>
    public const int MaxTokens = 1 << 20;

    public static Func<int?, string?> BetweenOrUnset(int min, int max) => v => v is null || (v >= min && v <= max) ? null : $"must be between {min} and {max}";

    public static Func<int, string?> Between(int min, int max) => v => v >= min && v <= max ? null : $"must be between {min} and {max}";

    public static Func<double, string?> Between(double min, double max) => v => v >= min && v <= max ? null : $"must be a number in [{min}, {max}]";
}
