using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;

namespace QuantaProbe.Inference.Runtime;

/// <summary>Creates ONNX Runtime sessions on the requested device with full graph optimisation.</summary>
internal static class SessionFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";

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
        try
        {
            return new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new QuantaException($"{modelPath}: ONNX Runtime cannot load the model ({e.Message.Split('\n')[0]}); export it again (`quanta export … --force`).", e);
        }
    }
}
