using QuantaProbe.Core;
using QuantaProbe.Core.Parquet;

namespace QuantaProbe.Decompose.Stage;

/// <summary>A losses part decompose cannot do without: missing, it names the file and the stage to run.</summary>
internal static class RequiredLossesPart
{
    public static Task<LossesPart> ReadAsync(string lossesFolder, long part)
    {
        var path = PartFiles.PathOf(lossesFolder, part);
        if (!File.Exists(path))
            throw new QuantaException($"{path}: not found; run `quanta infer` (every shard) before `quanta decompose`");
        return LossesPartReader.ReadAsync(path);
    }
}
