using QuantaProbe.Models.Checkpoints;
using QuantaProbe.Models.SparseParity;
using QuantaProbe.Onnx;

namespace QuantaProbe.Export;

/// <summary>loss.onnx and model.json of a sparse-parity MLP checkpoint (dispatched to by <see cref="ModelExporter"/>).</summary>
internal static class MlpExport
{
    public static ExportedModel ExportLoss(string checkpointFolder, string modelFolder, string name, long? step)
    {
        using var checkpoint = MlpCheckpoint.Open(checkpointFolder);
        Models.Weights.WeightsValidation.CheckReadable(checkpoint.Weights, MlpCheckpoint.ParameterOrder);
        string lossPath = Path.Combine(modelFolder, ModelExporter.LossOnnxFileName);
        OnnxModelWriter.Write(lossPath, new MlpLossRecipe(), checkpointFolder);
        long parameters = checkpoint.CountParameters();
        // The MLP has no embeddings: the paper's toy scales with all (603·w + 2) parameters.
        var model = new ExportedModel(name, step ?? checkpoint.Config.TrainingStep ?? ModelExporter.StepFromFolderName(checkpointFolder),
            Path.GetFullPath(modelFolder), Path.GetFullPath(lossPath), parameters, parameters);
        ModelInfoFile.Write(model, checkpointFolder, checkpoint.Config, "F32");
        return model;
    }
}
