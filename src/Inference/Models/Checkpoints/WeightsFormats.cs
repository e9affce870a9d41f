using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Models.Safetensors;
using QuantaProbe.Models.Torch;
using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Checkpoints;

/// <summary>The weights formats export reads, in order of preference: a folder holding both is read as safetensors.</summary>
internal static class WeightsFormats
{
    public static readonly IReadOnlyList<IWeightsFormat> All = [new SafetensorsFormat(), new TorchFormat()];

    /// <summary>The first format present in <paramref name="folder"/>; one line naming the folder and every file looked for where none is.</summary>
    public static IWeightsFormat Of(string folder) =>
        All.FirstOrDefault(f => f.IsPresentIn(folder))
        ?? throw new QuantaException($"{folder}: no checkpoint weights: looked for {string.Join(", ", All.Select(f => $"{f.SingleFileName} (or {f.IndexFileName})"))}; point at an HF checkpoint folder or download its weights.");

    public static ICheckpointWeights Open(string folder) => Of(folder).Open(folder);

    /// <summary>The sha256 of the weights the checkpoint folder's format reads (see <see cref="WeightsFingerprint"/>).</summary>
    public static string Fingerprint(string folder) => WeightsFingerprint.OfFiles(folder, Of(folder).FingerprintedFiles(folder));
}
