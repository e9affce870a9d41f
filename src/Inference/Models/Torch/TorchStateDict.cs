using QuantaProbe.Core;
using QuantaProbe.Models.Torch.Pickle;

namespace QuantaProbe.Models.Torch;

/// <summary>What data.pkl must amount to: a dict of named tensor views, each inside a storage the archive holds in full.</summary>
internal static class TorchStateDict
{
    private const int MaxDimensions = 64;

    public static Dictionary<string, TorchTensorView> Tensors(object? root, Func<string, QuantaException> bad)
    {
        if (root is not PickleDict dict)
            throw bad($"data.pkl holds {PickleKind.Of(root)}, not a state dict of named tensors; save model.state_dict() with torch.save");
        var tensors = new Dictionary<string, TorchTensorView>(StringComparer.Ordinal);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name)
                throw bad($"data.pkl: a state dict key is {PickleKind.Of(key)}, not a tensor name");
            if (value is not TorchTensorView view)
                throw bad($"data.pkl: '{Printable.Of(name)}' is {PickleKind.Of(value)}, not a tensor; save model.state_dict() with torch.save");
            if (!tensors.TryAdd(name, view))
                throw bad($"data.pkl: tensor '{Printable.Of(name)}' appears twice");
        }
        return tensors;
    }

    /// <summary>The archive entry of each storage data.pkl names, whose size must be exactly its elements'.</summary>
    public static Dictionary<string, ZipEntry> StorageEntries(IEnumerable<TorchStorage> storages, Dictionary<string, ZipEntry> entries, string top, Func<string, QuantaException> bad)
    {
        var result = new Dictionary<string, ZipEntry>(StringComparer.Ordinal);
        foreach (var storage in storages)
        {
            string key = Printable.Of(storage.Key);
            if (!entries.TryGetValue($"{top}/data/{storage.Key}", out var entry))
                throw bad($"data.pkl names storage '{key}' but the archive has no {Printable.Of(top)}/data/{key}; the file is incomplete, re-download it");
            long bytes = storage.Numel <= long.MaxValue / storage.Type.ElementSize ? storage.Numel * storage.Type.ElementSize : -1;
            if (bytes != entry.Size)
                throw bad($"storage '{key}' holds {entry.Size} bytes but data.pkl declares {storage.Numel} {storage.Type.DType} elements ({(bytes < 0 ? "too many to address" : bytes + " bytes")}); the file is corrupt, re-download it");
            result[storage.Key] = entry;
        }
        return result;
    }

    /// <summary>Every element the view reaches must lie inside its storage: offset + Σ (size−1)·stride &lt; numel.</summary>
    public static void CheckView(string name, TorchTensorView view, Func<string, QuantaException> bad)
    {
        string tensor = $"tensor '{Printable.Of(name)}'";
        if (view.Shape.Length != view.Strides.Length || view.Shape.Length > MaxDimensions)
            throw bad($"{tensor} has {view.Shape.Length} sizes and {view.Strides.Length} strides");
        if (view.Offset < 0 || view.Shape.Any(d => d < 0) || view.Strides.Any(s => s < 0))
            throw bad($"{tensor} has a negative offset, size or stride");
        try
        {
            long count = 1, last = view.Offset;
            for (int i = 0; i < view.Shape.Length; i++)
            {
                count = checked(count * view.Shape[i]);
                if (view.Shape[i] > 0)
                    last = checked(last + (view.Shape[i] - 1) * view.Strides[i]);
            }
            if (count > 0 && last >= view.Storage.Numel)
                throw bad($"{tensor} reaches element {last} of storage '{Printable.Of(view.Storage.Key)}', which holds {view.Storage.Numel}; the file is corrupt, re-download it");
        }
        catch (OverflowException)
        {
            throw bad($"{tensor} has a shape or strides too large to address");
        }
    }
}
