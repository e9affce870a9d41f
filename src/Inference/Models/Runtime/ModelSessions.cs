using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Opens exported graphs: the session options of <see cref="SessionFactory"/>, and the weights, which the
/// graphs do not hold, read from their checkpoint and bound here.
/// </summary>
internal static class ModelSessions
{
    /// <summary>
    /// Opens &lt;folder&gt;/<paramref name="fileName"/> (or the given .onnx file) and hands the session to
    /// <paramref name="wrap"/>; the session is disposed if the wrapper rejects the model.
    /// </summary>
    public static T Open<T>(string modelFolderOrOnnx, string fileName, InferenceDevice device, int? intraOpThreads, Func<string, InferenceSession, T> wrap)
    {
        string path = Directory.Exists(modelFolderOrOnnx) ? Path.Combine(modelFolderOrOnnx, fileName) : modelFolderOrOnnx;
        var session = Create(path, device, intraOpThreads);
        try
        {
            return wrap(path, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public static InferenceSession Create(string modelPath, InferenceDevice device, int? intraOpThreads)
    {
        if (!File.Exists(modelPath))
            throw new QuantaException($"{modelPath}: model not found; run `quanta export` first.");
        RegularFile.Require(modelPath);
        using var options = SessionFactory.Options(device, intraOpThreads, modelPath);
        var weights = BoundWeights.Load(modelPath);
        try
        {
            // A memory pattern plans one block for all of a shape's intermediates; without it the arena reuses
            // freed tensors, which keeps a model bound in place near the weights' own size (bench -- checkpoint).
            // ONNX Runtime warns once per overridable initializer (weights bound in place are declared so, on purpose).
            if (weights is { InPlaceBytes: > 0 })
            {
                options.EnableMemoryPattern = false;
                options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            }
            weights?.AddTo(options, device);
            return new BoundSession(modelPath, options, weights);
        }
        catch (OnnxRuntimeException e)
        {
            weights?.Dispose();
            throw new QuantaException($"{modelPath}: ONNX Runtime cannot load the model ({e.Message.Split('\n')[0]}); export it again (`quanta export … --force`).", e);
        }
        catch
        {
            weights?.Dispose();
            throw;
        }
    }
}
