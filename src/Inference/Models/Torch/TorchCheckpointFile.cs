using QuantaProbe.Onnx;
using System.Collections.Concurrent;
using QuantaProbe.Core;
using QuantaProbe.Models.Safetensors;
using QuantaProbe.Models.Torch.Pickle;
using QuantaProbe.Models.Weights;

namespace QuantaProbe.Models.Torch;

/// <summary>
/// A torch.save checkpoint (zip format, PyTorch ≥ 1.6): &lt;top&gt;/data.pkl, a pickled state dict read by
/// <see cref="PickleMachine"/> without running any code, and &lt;top&gt;/data/&lt;key&gt;, the raw storages,
/// which stay in the memory-mapped file until a tensor is read. Every storage and view is checked
/// against the archive when the file is opened; a storage's CRC-32 when it is first read.
/// </summary>
internal sealed class TorchCheckpointFile : IWeightsFile
{
    // A state dict's pickle takes about 100 bytes per tensor; this is room for a million tensors.
    private const long MaxPickleBytes = 128L << 20;

    private readonly MappedFile _file;
    private readonly Dictionary<string, TorchTensorView> _tensors;
    private readonly Dictionary<string, ZipEntry> _storageEntries;
    private readonly ConcurrentDictionary<string, bool> _verified = new(StringComparer.Ordinal);

    public string Path => _file.Path;

    private TorchCheckpointFile(MappedFile file, Dictionary<string, TorchTensorView> tensors, Dictionary<string, ZipEntry> storageEntries)
    {
        _file = file;
        _tensors = tensors;
        _storageEntries = storageEntries;
    }

    public static TorchCheckpointFile Open(string path)
    {
        var info = LinkedFile.Resolve(path);
        if (!info.Exists)
            throw new QuantaException($"{path}: file not found; point at an HF checkpoint folder holding pytorch_model.bin or its shards.");
        RegularFile.Require(path);
        var bad = Bad(path);
        if (info.Length < 4)
            throw bad($"the file is {info.Length} bytes, too short for a torch.save archive");
        var file = MappedFile.Open(path, info.Length);
        try
        {
            if (TorchLegacyFormat.Is(file.Span(0, 4)))
                throw new QuantaException($"{path}: a PyTorch checkpoint in the pre-1.6 torch.save format (a bare pickle, not a zip archive), which quanta does not read; load it with torch >= 1.6 and torch.save it again, or save_pretrained(..., safe_serialization=True) to get model.safetensors.");
            var entries = ZipDirectory.Read(file, what => bad(what + "; the file is truncated or damaged, re-download it"));
            string top = TopFolder(entries, bad);
            CheckByteOrder(file, entries, top, bad);
            var unpickler = new TorchUnpickler(bad);
            var root = PickleMachine.Run(ReadPickle(file, entries[top + "/data.pkl"], bad), unpickler, bad);
            var tensors = TorchStateDict.Tensors(root, bad);
            var storageEntries = TorchStateDict.StorageEntries(unpickler.Storages.Values, entries, top, bad);
            foreach (var (name, view) in tensors)
                TorchStateDict.CheckView(name, view, bad);
            return new TorchCheckpointFile(file, tensors, storageEntries);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public IEnumerable<string> Names => _tensors.Keys;

    public bool Contains(string name) => _tensors.ContainsKey(name);

    public TensorInfo Info(string name)
    {
        var view = Get(name);
        return new TensorInfo(name, view.Storage.Type.DType, view.Shape);
    }

    /// <summary>A F32/F16/BF16 tensor as row-major float32, gathered through its offset and strides.</summary>
    public float[] ReadFloat32(string name)
    {
        var result = WeightArrays.Uninitialized(CheckedLength(name, FloatWeight(name).View));
        ReadFloat32(name, result);
        return result;
    }

    /// <summary>As <see cref="ReadFloat32(string)"/>, into the first elements of <paramref name="destination"/>.</summary>
    private void ReadFloat32(string name, float[] destination)
    {
        var (view, dtype) = FloatWeight(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.LongLength, CheckedLength(name, view), nameof(destination));
        Visit(view, (bytes, first) =>
        {
            var values = destination.AsSpan(checked((int)first), bytes.Length / view.Storage.Type.ElementSize);
            FloatConversion.ToFloat32(bytes, dtype, values);
            NonFiniteCheck.Check(values, first, Path, name);
        });
    }

    public bool TryStored(string name, out StoredTensor tensor)
    {
        var (view, dtype) = FloatWeight(name);
        tensor = default;
        if (!StridedRuns.IsContiguous(view))
            return false;
        var entry = _storageEntries[view.Storage.Key];
        Verify(entry);
        long bytes = view.ElementCount * view.Storage.Type.ElementSize;
        tensor = new StoredTensor(dtype, _file.Address(entry.DataOffset + view.Offset * view.Storage.Type.ElementSize, bytes), bytes);
        return true;
    }

    /// <summary>Refuses the tensor as <see cref="ReadFloat32"/> would (dtype, CRC-32, non-finite values), reading its bytes without converting them.</summary>
    public void CheckFloatWeight(string name)
    {
        var (view, dtype) = FloatWeight(name);
        _ = CheckedLength(name, view);
        Visit(view, (bytes, first) => NonFiniteCheck.CheckRaw(bytes, dtype, first, Path, name));
    }

    private (TorchTensorView View, string DType) FloatWeight(string name)
    {
        var view = Get(name);
        string dtype = view.Storage.Type.DType;
        if (dtype is not ("F32" or "F16" or "BF16"))
            throw new QuantaException($"{Path}: tensor '{Printable.Of(name)}' is {dtype}; only F32, F16 and BF16 weights are supported, convert the checkpoint.");
        return (view, dtype);
    }

    /// <summary>Any tensor's elements as row-major little-endian bytes (buffers such as the bool attention mask).</summary>
    public byte[] ReadBytes(string name)
    {
        var view = Get(name);
        int size = view.Storage.Type.ElementSize;
        var result = new byte[checked(CheckedLength(name, view) * size)];
        Visit(view, (bytes, first) => bytes.CopyTo(result.AsSpan(checked((int)(first * size)))));
        return result;
    }

    private TorchTensorView Get(string name) =>
        _tensors.TryGetValue(name, out var view)
            ? view
            : throw new QuantaException($"{Path}: tensor '{Printable.Of(name)}' is missing; the checkpoint is incomplete or not a GPT-NeoX model.");

    private int CheckedLength(string name, TorchTensorView view) =>
        view.ElementCount <= Array.MaxLength / view.Storage.Type.ElementSize
            ? (int)view.ElementCount
            : throw new QuantaException($"{Path}: tensor '{Printable.Of(name)}' has {view.ElementCount} elements, more than one array can hold.");

    private void Visit(TorchTensorView view, StridedRuns.Visitor visitor)
    {
        var entry = _storageEntries[view.Storage.Key];
        Verify(entry);
        StridedRuns.Visit(_file, entry.DataOffset, view, visitor);
    }

    private void Verify(ZipEntry entry)
    {
        if (_verified.ContainsKey(entry.Name))
            return;
        if (ZipCrc.Of(_file, entry.DataOffset, entry.Size) != entry.Crc32)
            throw Bad(Path)($"entry '{Printable.Of(entry.Name)}' fails its CRC-32 check: the file is corrupt or was edited, re-download it");
        // The check touched every page of the storage; a session bound in place maps only the pages it uses.
        _file.Release(entry.DataOffset, entry.Size);
        _verified[entry.Name] = true;
    }

    private static string TopFolder(Dictionary<string, ZipEntry> entries, Func<string, QuantaException> bad)
    {
        var pickles = entries.Keys.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length).ToList();
        return pickles.Count switch
        {
            1 => pickles[0][..^"/data.pkl".Length],
            0 => throw bad("the archive has no <top>/data.pkl, so it is not a torch.save checkpoint (a TorchScript or other zip?); save the model's state_dict with torch.save"),
            _ => throw bad($"the archive has {pickles.Count} data.pkl files; torch.save writes one"),
        };
    }

    private static void CheckByteOrder(MappedFile file, Dictionary<string, ZipEntry> entries, string top, Func<string, QuantaException> bad)
    {
        if (!entries.TryGetValue(top + "/byteorder", out var entry))
            return; // PyTorch before 2.1 wrote none, and only little-endian machines
        bool little = entry.Size == 6 && file.Span(entry.DataOffset, 6).SequenceEqual("little"u8);
        if (!little)
            throw bad("its byteorder entry is not 'little'; a big-endian checkpoint must be re-saved on a little-endian machine");
    }

    private static byte[] ReadPickle(MappedFile file, ZipEntry entry, Func<string, QuantaException> bad)
    {
        if (entry.Size > MaxPickleBytes)
            throw bad($"data.pkl is {entry.Size} bytes, more than a state dict's pickle needs");
        var pickle = file.Span(entry.DataOffset, (int)entry.Size).ToArray();
        if (ZipCrc.Of(pickle) != entry.Crc32)
            throw bad("data.pkl fails its CRC-32 check: the file is corrupt or was edited, re-download it");
        return pickle;
    }

    private static Func<string, QuantaException> Bad(string path) =>
        what => new QuantaException($"{path}: not a readable PyTorch checkpoint: {what}.");

    public void Dispose() => _file.Dispose();
}
