using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using QuantaProbe.Core;

namespace QuantaProbe.Onnx;

/// <summary>
/// ONNX Runtime's C API <c>AddExternalInitializers</c>, which the C# package does not expose. Unlike
/// <see cref="SessionOptions.AddInitializer"/> (a CPU OrtValue that an execution provider planning the
/// initializer on another device ignores, falling back to the graph's placeholder), it injects the
/// tensors into the graph before partitioning, so every provider copies them as it does inline data.
/// The function pointers come from the package's own API table (its internal <c>NativeMethods.api_</c>,
/// an <c>OrtApi</c> struct), so they follow the pinned runtime version.
/// </summary>
internal static unsafe class OrtExternalInitializers
{
    private sealed class Api
    {
        public required delegate* unmanaged<IntPtr, IntPtr, IntPtr, nuint, IntPtr> AddExternalInitializers { get; init; }
        public required delegate* unmanaged<IntPtr, IntPtr> GetErrorMessage { get; init; }
        public required delegate* unmanaged<IntPtr, void> ReleaseStatus { get; init; }
        public required Func<OrtValue, IntPtr> HandleOf { get; init; }
    }

    private static readonly Lazy<Api> Table = new(Resolve);

    /// <summary>
    /// Adds <paramref name="values"/> to <paramref name="options"/>; the OrtValues and their memory must
    /// outlive every session created with these options. <paramref name="modelPath"/> names errors.
    /// </summary>
    public static void Add(SessionOptions options, IReadOnlyList<(string Name, OrtValue Value)> values, string modelPath)
    {
        if (values.Count == 0)
            return;
        var api = Table.Value;
        var names = new IntPtr[values.Count];
        var handles = new IntPtr[values.Count];
        bool addedRef = false;
        try
        {
            for (int i = 0; i < values.Count; i++)
            {
                names[i] = Marshal.StringToCoTaskMemUTF8(values[i].Name);
                handles[i] = api.HandleOf(values[i].Value);
            }
            options.DangerousAddRef(ref addedRef);
            IntPtr status;
            fixed (IntPtr* namesPtr = names, handlesPtr = handles)
                status = api.AddExternalInitializers(options.DangerousGetHandle(), (IntPtr)namesPtr, (IntPtr)handlesPtr, (nuint)values.Count);
            if (status != IntPtr.Zero)
            {
                string message = Marshal.PtrToStringUTF8(api.GetErrorMessage(status)) ?? "no message";
                api.ReleaseStatus(status);
                throw new QuantaException($"{modelPath}: ONNX Runtime refused the checkpoint's weights ({message.Split('\n')[0]}); export it again (`quanta export … --force`).");
            }
        }
        finally
        {
            if (addedRef)
                options.DangerousRelease();
            foreach (var name in names)
                Marshal.FreeCoTaskMem(name);
        }
    }

    private static Api Resolve()
    {
        _ = OrtEnv.Instance();
        var assembly = typeof(OrtValue).Assembly;
        const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        object? table = assembly.GetType("Microsoft.ML.OnnxRuntime.NativeMethods")?.GetField("api_", Static)?.GetValue(null);
        IntPtr Entry(string name) =>
            table?.GetType().GetField(name, Instance)?.GetValue(table) is IntPtr pointer && pointer != IntPtr.Zero ? pointer
                : throw Missing($"the C API entry {name}");
        var handle = typeof(OrtValue).GetProperty("Handle", Instance)?.GetGetMethod(nonPublic: true)
            ?? throw Missing("OrtValue.Handle");
        return new Api
        {
            AddExternalInitializers = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, nuint, IntPtr>)Entry("AddExternalInitializers"),
            GetErrorMessage = (delegate* unmanaged<IntPtr, IntPtr>)Entry("GetErrorMessage"),
            ReleaseStatus = (delegate* unmanaged<IntPtr, void>)Entry("ReleaseStatus"),
            HandleOf = handle.CreateDelegate<Func<OrtValue, IntPtr>>(),
        };
    }

    private static QuantaException Missing(string what) =>
        new($"ONNX Runtime {RuntimeVersion()}: {what} is not reachable, and quanta binds a checkpoint's weights through it; build with the pinned Microsoft.ML.OnnxRuntime version (Directory.Packages.props).");

    private static string RuntimeVersion() =>
        typeof(OrtValue).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
}
