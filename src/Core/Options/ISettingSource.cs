namespace QuantaProbe.Core.Options;

/// <summary>Where settings are read from: a command line or a run config. Values come back parsed and checked.</summary>
public interface ISettingSource
{
    /// <summary>The value given, or the setting's default.</summary>
    T Get<T>(Setting<T> setting);

    /// <summary>Whether the value was given (not defaulted).</summary>
    bool Has(Setting setting);
}
