using QuantaProbe.Core.Contracts;
using QuantaProbe.Core;
using QuantaProbe.Core.Family;
using QuantaProbe.Core.Hub;
using QuantaProbe.Models.Gradients;

namespace QuantaProbe.Export;

/// <summary>
/// One model to export: an HF checkpoint folder, or an ONNX decoder with a logits output. A checkpoint
/// named on the hub (<see cref="Hub"/>) is its cached snapshot folder, named NAME-REVISION by default.
/// </summary>
public sealed record ExportSource(string Path, bool IsOnnxDecoder = false, string? Name = null, long? Step = null, HubSnapshot? Hub = null)
{
    public string ModelName => Name ?? Hub?.Reference.DefaultModelName ?? DefaultName();

    /// <summary>A checkpoint at <paramref name="located"/>; a hub revision's step (step3000 → 3000) unless <paramref name="step"/> is given.</summary>
    public static ExportSource Checkpoint(LocatedInput located, string? name = null, long? step = null) =>
        new(located.Path, Name: name, Step: step ?? located.Hub?.Reference.Step, Hub: located.Hub);

    private string DefaultName()
    {
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(Path));
        return IsOnnxDecoder ? System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(full)!) : System.IO.Path.GetFileName(full);
    }
}

/// <summary>What exporting one model did.</summary>
public sealed record ExportOutcome(ExportSource Source, ExportedModel? Model, string Detail, bool Skipped);

/// <summary>
/// Exports models into a family folder (RUN/models): loss.onnx, grad.onnx (default sketch; not for
/// imported decoders, which have no backward graph), model.json, and their entry in family.json.
/// A model already exported is skipped unless forced.
/// </summary>
public static class FamilyExport
{
    public static IEnumerable<ExportOutcome> Run(string familyFolder, IReadOnlyList<ExportSource> sources, bool force = false, CancellationToken cancel = default) =>
        Run(familyFolder, sources, ShardSpec.All, force, cancel);

    /// <summary>As <see cref="Run(string, IReadOnlyList{ExportSource}, bool, CancellationToken)"/>, by the shard of a sharded run that exports for all (it holds that shard's lock).</summary>
    public static IEnumerable<ExportOutcome> Run(string familyFolder, IReadOnlyList<ExportSource> sources, ShardSpec writer, bool force = false, CancellationToken cancel = default)
    {
        if (sources.Count == 0)
            throw new QuantaException("export: nothing to export; name at least one checkpoint folder or ONNX decoder");
        var duplicate = sources.GroupBy(s => s.ModelName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new QuantaException($"export: two models would be named '{duplicate.Key}'; give them distinct names");
        string manifest = System.IO.Path.Combine(familyFolder, FamilyManifest.FileName);
        using var writing = RunFolderLock.Acquire(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(familyFolder))!, writer);
        foreach (var source in sources)
        {
            cancel.ThrowIfCancellationRequested();
            string folder = System.IO.Path.Combine(familyFolder, source.ModelName);
            if (!force && IsExported(folder, source.IsOnnxDecoder))
            {
                EnsureListed(manifest, source.ModelName, folder);
                yield return new ExportOutcome(source, null, $"already exported ({folder})", Skipped: true);
                continue;
            }
            var model = source.IsOnnxDecoder
                ? ModelExporter.ExportOnnxDecoder(source.Path, folder, source.ModelName, source.Step)
                : ModelExporter.ExportCheckpoint(source.Path, folder, source.ModelName, source.Step);
            if (source.Hub is { } hub)
                ModelInfoFile.RecordHub(folder, hub);
            string gradients = source.IsOnnxDecoder ? "no grad.onnx (imported decoders have no backward graph)"
                : "grad.onnx " + ModelExporter.ExportGradients(source.Path, folder, GradientOptions.Sketch());
            FamilyManifest.AddOrUpdate(manifest, new FamilyMember(model.Name, model.ModelFolder, model.Step));
            yield return new ExportOutcome(source, model, gradients, Skipped: false);
        }
    }

    /// <summary>A run killed between model.json and family.json left the model out of the manifest.</summary>
    private static void EnsureListed(string manifest, string name, string folder)
    {
        if (File.Exists(manifest) && FamilyManifest.Read(manifest).Any(m => m.Name == name))
            return;
        long? step = ModelInfo.TryRead(folder)?.Step;
        FamilyManifest.AddOrUpdate(manifest, new FamilyMember(name, folder, step));
    }

    /// <summary>
    /// model.json is written after loss.onnx, and grad.onnx after both (a checkpoint's; imported
    /// decoders have none), so all present means the export finished: a run stopped between them
    /// (killed, or a full disk) exports the model again.
    /// </summary>
    public static bool IsExported(string modelFolder, bool isOnnxDecoder = false) =>
        File.Exists(ModelInfo.PathIn(modelFolder)) && File.Exists(System.IO.Path.Combine(modelFolder, ModelExporter.LossOnnxFileName))
        && (isOnnxDecoder || File.Exists(System.IO.Path.Combine(modelFolder, Models.Architectures.ModelGraphExport.GradOnnxFileName)));
}
