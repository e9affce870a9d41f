using QuantaProbe.Core.Options;

namespace QuantaProbe.Onnx;

public enum InferenceDevice
{
    Cpu,
    Cuda,
}

/// <summary>The run-level <c>device</c> setting (<c>--device</c>) of every stage that runs a model: infer, gradients, sample.</summary>
public static class InferenceDeviceSetting
{
    public static readonly Setting<InferenceDevice> Device = new SettingGroup(stage: null, section: null).Add("device", InferenceDevice.Cpu,
        SettingFormats.Choice(("cpu", InferenceDevice.Cpu), ("cuda", InferenceDevice.Cuda), ("gpu", InferenceDevice.Cuda)),
        "cpu or cuda (alias gpu)");
}
