namespace QuantaProbe.Inference.Runtime;

public enum InferenceDevice
{
    Cpu,
    Cuda,
}
