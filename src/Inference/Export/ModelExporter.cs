using System.Text.RegularExpressions;
using QuantaProbe.Core;
using QuantaProbe.Inference.NeoX;
using QuantaProbe.Inference.Onnx;

namespace QuantaProbe.Inference.Export;

/// <summary>Writes models/&lt;name&gt;/loss.onnx and model.json from an HF checkpoint or an ONNX decoder.</summary>
public static partial class ModelExporter
{
    public const string LossOnnxFileName = "loss.onnx";

    /// <summary>
    /// Exports an HF GPT-NeoX checkpoint folder. The step is <paramref name="step"/>, else config.json's
    /// training_step, else a "stepN" in the folder name, else unknown.
    /// </summary>
    public static ExportedModel ExportCheckpoint(string checkpointFolder, string modelFolder, string name, long? step = null) =>
        ExportCheckpoint(checkpointFolder, modelFolder, name, step, OnnxModelWriter.DefaultExternalThresholdBytes);

    internal static ExportedModel ExportCheckpoint(string checkpointFolder, string modelFolder, string name, long? step, long externalThresholdBytes)
    {
        CheckName(name);
        using var checkpoint = NeoXCheckpoint.Open(checkpointFolder);
        Directory.CreateDirectory(modelFolder);
        string lossPath = Path.Combine(modelFolder, LossOnnxFileName);

        var (total, nonEmbedding) = checkpoint.CountParameters();
        long weightBytes = checked((total + (checkpoint.Config.TieWordEmbeddings ? (long)checkpoint.Config.VocabSize * checkpoint.Config.HiddenSize : 0)) * sizeof(float));
        OnnxModelWriter.Write(lossPath, weightBytes, store => NeoXGraphBuilder.Build(checkpoint, store), externalThresholdBytes);

        var model = new ExportedModel(name, step ?? checkpoint.Config.TrainingStep ?? StepFromFolderName(checkpointFolder),
            Path.GetFullPath(modelFolder), Path.GetFullPath(lossPath), total, nonEmbedding);
        string dtype = string.Join("+", checkpoint.ParameterNames.Select(n => checkpoint.Weights.Info(n).DType).Distinct().Order());
        ModelInfoFile.Write(model, checkpointFolder, checkpoint.Config, dtype);
        return model;
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
