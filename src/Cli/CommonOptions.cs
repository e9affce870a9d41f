using System.CommandLine;
using QuantaProbe.Core;
using QuantaProbe.Inference.Runtime;

namespace QuantaProbe.Cli;

/// <summary>Options that several commands share, spelled and parsed once.</summary>
internal static class CommonOptions
{
    public static Option<string> Device() => new("--device") { Description = "cpu or cuda", DefaultValueFactory = _ => "cpu" };

    public static Option<string?> CacheDir() => new("--cache-dir")
    {
        Description = "The Hugging Face hub cache that hub names ORG/NAME[@REVISION] are read from (default: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub)",
    };

    public static InferenceDevice ParseDevice(string text) => text.ToLowerInvariant() switch
    {
        "cpu" => InferenceDevice.Cpu,
        "cuda" or "gpu" => InferenceDevice.Cuda,
        _ => throw new QuantaException($"--device {text}: expected cpu or cuda"),
    };
}
