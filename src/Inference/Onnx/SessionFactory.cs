using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;

namespace QuantaProbe.Onnx;

/// <summary>
/// Session options for every ONNX Runtime session of the tool: full graph optimisation, the thread count,
/// and the CUDA execution provider when asked for (checked first, with one clear line when it cannot start).
/// </summary>
internal static class SessionFactory
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>What the CUDA execution provider of ONNX Runtime 1.31 loads: CUDA 13's cuBLASLt and cuDNN 9.</summary>
    private static readonly string[] CudaLibraries = ["libcublasLt.so.13", "libcudnn.so.9"];

    /// <summary>The execution provider a session opened for <paramref name="device"/> runs on.</summary>
    public static string ProviderOf(InferenceDevice device) => device == InferenceDevice.Cuda ? CudaProvider : CpuProvider;

    /// <param name="describedAs">What the session is for (a model path), named in errors.</param>
    public static SessionOptions Options(InferenceDevice device, int? intraOpThreads, string describedAs)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = intraOpThreads ?? Environment.ProcessorCount,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        try
        {
            if (device == InferenceDevice.Cuda)
                AppendCuda(options, describedAs);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>A session over an in-memory model (a small helper graph such as <see cref="MatrixProduct"/>'s).</summary>
    public static InferenceSession Open(byte[] model, InferenceDevice device, int? intraOpThreads, string describedAs)
    {
        using var options = Options(device, intraOpThreads, describedAs);
        return new InferenceSession(model, options);
    }

    private static void AppendCuda(SessionOptions options, string describedAs)
    {
        if (!OrtEnv.Instance().GetAvailableProviders().Contains(CudaProvider))
            throw new QuantaException($"{describedAs}: --device cuda requested but CUDA is not available in this build of ONNX Runtime; rebuild with -p:OnnxGpu=true (Microsoft.ML.OnnxRuntime.Gpu), or use --device cpu.");
        if (OperatingSystem.IsLinux() && CudaLibraries.FirstOrDefault(l => !CanLoad(l)) is { } missing)
            throw new QuantaException($"{describedAs}: --device cuda needs CUDA 13 and cuDNN 9 ({missing} is not on the library path); install them (README: GPU) or use --device cpu.");
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
            throw new QuantaException($"{describedAs}: the CUDA execution provider failed to start ({e.Message.Split('\n')[0]}); check the CUDA 13 / cuDNN 9 install or use --device cpu.", e);
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
