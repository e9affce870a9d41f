using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;
using QuantaProbe.Onnx;

namespace QuantaProbe.Models.Runtime;

/// <summary>
/// Creates ONNX Runtime sessions on the requested device with full graph optimisation. Graphs that
/// export wrote hold structure only: their weights are read from the checkpoint and bound here.
/// </summary>
internal static class SessionFactory
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>What the CUDA execution provider of ONNX Runtime 1.31 loads: CUDA 13's cuBLASLt and cuDNN 9.</summary>
    private static readonly string[] CudaLibraries = ["libcublasLt.so.13", "libcudnn.so.9"];

    /// <summary>The execution provider a session opened for <paramref name="device"/> runs on.</summary>
    public static string ProviderOf(InferenceDevice device) => device == InferenceDevice.Cuda ? CudaProvider : CpuProvider;

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
            AppendCuda(options, modelPath);
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

    private static void AppendCuda(SessionOptions options, string modelPath)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
            throw new QuantaException($"{modelPath}: --device cuda requested but CUDA is not available in this build of ONNX Runtime; rebuild with -p:OnnxGpu=true (Microsoft.ML.OnnxRuntime.Gpu), or use --device cpu.");
        if (OperatingSystem.IsLinux() && CudaLibraries.FirstOrDefault(l => !CanLoad(l)) is { } missing)
            throw new QuantaException($"{modelPath}: --device cuda needs CUDA 13 and cuDNN 9 ({missing} is not on the library path); install them (README: GPU) or use --device cpu.");
        // ONNX Runtime logs a multi-line error of its own when the provider fails to load; the exception says it in one line.
        var env = OrtEnv.Instance();
        var level = env.EnvLogLevel;
        env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            options.AppendExecutionProvider_CUDA(0);
        }
        catch (OnnxRuntimeException e)
        {
            throw new QuantaException($"{modelPath}: the CUDA execution provider failed to start ({e.Message.Split('\n')[0]}); check the CUDA 13 / cuDNN 9 install or use --device cpu.", e);
        }
        finally
        {
            env.EnvLogLevel = level;
        }
    }

    private static bool CanLoad(string library)
    {
        if (!System.Runtime.InteropServices.NativeLibrary.TryLoad(library, out var handle))
            return false;
        System.Runtime.InteropServices.NativeLibrary.Free(handle);
        return true;
    }
}
