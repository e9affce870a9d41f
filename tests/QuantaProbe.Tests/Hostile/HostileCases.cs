namespace QuantaProbe.Tests.Hostile;

/// <summary>The table of hostile inputs, one list per kind of input file.</summary>
internal static class HostileCases
{
    public static readonly IReadOnlyList<HostileCase> All =
    [
        .. SafetensorsCases.All,
        .. TorchCases.All,
        .. CheckpointConfigCases.All,
        .. OnnxCases.All,
        .. TokenizerCases.All,
        .. CorpusCases.All,
        .. RunConfigCases.All,
        .. RunFolderCases.All,
        .. OptionCases.All,
        .. InputPathCases.All,
    ];
}
