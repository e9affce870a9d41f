using QuantaProbe.Core.Options;

namespace QuantaProbe.Run;

/// <summary>Stage settings read from a run config: each from the object its stage keeps them in (<see cref="Setting.Section"/>).</summary>
internal sealed class ConfigSettings(ConfigSection root) : ISettingSource
{
    private readonly Dictionary<string, ConfigSection?> _sections = new(StringComparer.Ordinal);

    public T Get<T>(Setting<T> setting) =>
        setting.InConfig && SectionOf(setting) is { } section ? section.Read(setting) : setting.Default;

    public bool Has(Setting setting) => setting.InConfig && SectionOf(setting) is { } section && section.Has(setting.Key);

    /// <summary>Every key of the top level and of each stage object was a setting that was read: a misspelt one is an error.</summary>
    public void RejectUnknownKeys()
    {
        root.RejectUnknownKeys();
        foreach (var section in _sections.Values)
            section?.RejectUnknownKeys();
    }

    private ConfigSection? SectionOf(Setting setting)
    {
        if (setting.Section is not { } name)
            return root;
        if (!_sections.TryGetValue(name, out var section))
            _sections[name] = section = root.Section(name);
        return section;
    }
}
