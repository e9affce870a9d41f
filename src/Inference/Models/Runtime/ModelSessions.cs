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

    /// <summary>
    /// Above this many bytes of float32 weights a session does not pre-pack its MatMul weights: packing
    /// writes a second copy of every matrix at session start, most of its time and peak memory for a 1B
    /// model. Smaller models keep it: their GEMMs stay as fast, and their losses bit-identical to earlier
    /// runs (pre-packed and unpacked GEMMs round differently).
    /// </summary>
    internal const long PrepackingLimitBytes = 1L << 30;

    private const string DisablePrepackingKey = "session.disable_prepacking";

    internal static bool Prepacks(long float32WeightBytes) => float32WeightBytes <= PrepackingLimitBytes;

    public static InferenceSession Create(string modelPath, InferenceDevice device, int? intraOpThreads)
    {
        if (!File.Exists(modelPath))
            throw new QuantaException($"{modelPath}: model not found; run `quanta export` first.");
        RegularFile.Require(modelPath);
        using var options = SessionFactory.Options(device, intraOpThreads, modelPath);
        var weights = BoundWeights.Load(modelPath);
        try
        {
            if (weights is not null && !Prepacks(weights.Float32Bytes))
                options.AddSessionConfigEntry(DisablePrepackingKey, "1");
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
