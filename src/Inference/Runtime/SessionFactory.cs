using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;

namespace QuantaProbe.Inference.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions on the requested device with full graph optimisation. Graphs that
/// export wrote hold structure only: their weights are read from the checkpoint and bound here.
/// </summary>
internal static class SessionFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";

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
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads ?? Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (device == InferenceDevice.Cuda)
        {
            if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
                throw new QuantaException($"{modelPath}: --device cuda requested but CUDA is not available in this build of ONNX Runtime; rebuild with -p:OnnxGpu=true on a machine with the GPU package (Microsoft.ML.OnnxRuntime.Gpu), or use --device cpu.");
            try
            {
                options.AppendExecutionProvider_CUDA(0);
            }
            catch (OnnxRuntimeException e)
            {
                throw new QuantaException($"{modelPath}: the CUDA execution provider failed to start ({e.Message.Split('\n')[0]}); check the CUDA/cuDNN install or use --device cpu.", e);
            }
        }
        var weights = BoundWeights.Load(modelPath);
        try
        {
            weights?.AddTo(options);
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
