using System.Text.RegularExpressions;
using QuantaProbe.Core;
using QuantaProbe.Models;
using QuantaProbe.Models.Architectures;
using QuantaProbe.Models.Gradients;
using QuantaProbe.Models.Weights;
using Google.Protobuf;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Export;

/// <summary>Writes models/&lt;name&gt;/loss.onnx and model.json from an HF checkpoint or an ONNX decoder.</summary>
public static partial class ModelExporter
{
    public const string LossOnnxFileName = LossHead.FileName;

    /// <summary>
    /// Exports a checkpoint folder of any supported architecture (config.json's model_type). The step is
    /// <paramref name="step"/>, else config.json's training_step, else a "stepN" in the folder name, else unknown.
    /// </summary>
    public static ExportedModel ExportCheckpoint(string checkpointFolder, string modelFolder, string name, long? step = null)
    {
        CheckName(name);
        DeleteGradientVariants(modelFolder);
        var architecture = ModelArchitectures.Of(checkpointFolder);
        using var checkpoint = architecture.Open(checkpointFolder);
        WeightsValidation.CheckReadable(checkpoint.Weights, checkpoint.ParameterNames);
        var (total, nonEmbedding) = checkpoint.CountParameters();
        string lossPath = ModelGraphExport.Export(architecture, checkpointFolder, modelFolder, ModelGraph.Loss);

        var model = new ExportedModel(name, step ?? checkpoint.TrainingStep ?? StepFromFolderName(checkpointFolder),
            Path.GetFullPath(modelFolder), lossPath, total, nonEmbedding);
        string dtype = string.Join("+", checkpoint.ParameterNames.Select(n => checkpoint.Weights.Info(n).DType).Distinct().Order());
        ModelInfoFile.Write(model, checkpointFolder, checkpoint.Summary(), dtype);
        return model;
    }

    /// <summary>Writes &lt;modelFolder&gt;/grad.onnx for a checkpoint of any supported architecture (<see cref="ModelGraphExport"/>). Returns its path.</summary>
    public static string ExportGradients(string checkpointFolder, string modelFolder, GradientOptions options) =>
        ModelGraphExport.ExportGradients(checkpointFolder, modelFolder, options);

    /// <summary>
    /// Imports an existing ONNX decoder with a `logits` output (e.g. from Optimum) by appending the
    /// loss head; external data files it references are copied beside the new loss.onnx.
    /// </summary>
    public static ExportedModel ExportOnnxDecoder(string decoderOnnx, string modelFolder, string name, long? step = null)
    {
        CheckName(name);
        if (!File.Exists(decoderOnnx))
            throw new QuantaException($"{decoderOnnx}: file not found; pass an ONNX decoder exported with a 'logits' output.");
        RegularFile.Require(decoderOnnx);
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(decoderOnnx);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new QuantaException($"{decoderOnnx}: not a readable ONNX model ({e.Message}); re-export it.", e);
        }

        var (total, nonEmbedding) = OnnxParameterCount.Count(model.Graph ?? new GraphProto(), LogitsGraphAdapter.Logits);
        LogitsGraphAdapter.AddLossHead(model, decoderOnnx);

        Directory.CreateDirectory(modelFolder);
        string lossPath = Path.Combine(modelFolder, LossOnnxFileName);
        File.Delete(lossPath);
        OnnxExternalData.CopyAll(OnnxExternalData.Locations(model.Graph!, decoderOnnx), Path.GetDirectoryName(Path.GetFullPath(decoderOnnx))!, modelFolder);
        AtomicFile.Write(lossPath, model.WriteTo);

        var exported = new ExportedModel(name, step ?? StepFromFolderName(Path.GetDirectoryName(Path.GetFullPath(decoderOnnx))!),
            Path.GetFullPath(modelFolder), Path.GetFullPath(lossPath), total, nonEmbedding);
        ModelInfoFile.Write(exported, decoderOnnx, config: null, weightsDType: null);
        return exported;
    }

    /// <summary>
    /// grad.onnx variants exported on demand (models/&lt;name&gt;/grad-*) were built from the previous
    /// weights: a new export removes them, so `quanta gradients` re-exports them from the new checkpoint.
    /// </summary>
    private static void DeleteGradientVariants(string modelFolder)
    {
        if (Directory.Exists(modelFolder))
            foreach (var variant in Directory.GetDirectories(modelFolder, ModelGraphExport.GradientVariantPrefix + "*"))
                Directory.Delete(variant, recursive: true);
    }

    internal static long? StepFromFolderName(string folder)
    {
        var match = StepPattern().Match(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))));
        return match.Success && long.TryParse(match.Groups[1].Value, out long s) ? s : null;
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new QuantaException($"model name '{name}' cannot be a folder name; choose one without path separators.");
    }

    [GeneratedRegex(@"(?:^|[-_.])step(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex StepPattern();
}
