namespace QuantaProbe.Models.Weights;

/// <summary>One validated weights file (a safetensors file, a torch.save archive): its tensors by name.</summary>
internal interface IWeightsFile : IDisposable
{
    string Path { get; }

    IEnumerable<string> Names { get; }

    bool Contains(string name);

    TensorInfo Info(string name);

    float[] ReadFloat32(string name);
}
