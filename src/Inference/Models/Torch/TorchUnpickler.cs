using QuantaProbe.Core;
using QuantaProbe.Models.Torch.Pickle;

namespace QuantaProbe.Models.Torch;

/// <summary>
/// The globals a torch.save'd state dict needs, and nothing else: OrderedDict, the two tensor rebuild
/// functions and the typed storage classes. Any other global is refused by name when the pickle
/// names it, before anything could call it. Persistent ids ('storage', class, key, location, numel)
/// become <see cref="TorchStorage"/>s, one per key.
/// </summary>
internal sealed class TorchUnpickler(Func<string, QuantaException> bad) : IPickleHost
{
    private enum Callable { OrderedDict, RebuildTensor, RebuildParameter }

    private readonly Dictionary<string, TorchStorage> _storages = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, TorchStorage> Storages => _storages;

    public object ResolveGlobal(string module, string name) => (module, name) switch
    {
        ("collections", "OrderedDict") => Callable.OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2") => Callable.RebuildTensor,
        ("torch._utils", "_rebuild_parameter") => Callable.RebuildParameter,
        ("torch", _) when TorchStorageType.ByClassName.TryGetValue(name, out var storage) => storage,
        _ => throw bad($"data.pkl asks for the Python global {module}.{name}, which a state dict of tensors never needs; refused without running anything (a state dict holds only OrderedDict, tensors and storages); re-save the model's state_dict with torch.save, or use model.safetensors"),
    };

    public object? Reduce(object? callable, PickleTuple arguments)
    {
        var a = arguments.Items;
        switch (callable)
        {
            case Callable.OrderedDict when a.Length == 0:
                return new PickleDict();
            case Callable.RebuildTensor when a.Length is 6 or 7:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a[0] is not TorchStorage storage || a[1] is not long offset || a[4] is not bool)
                    throw Damaged("data.pkl: _rebuild_tensor_v2 called with arguments that are not (storage, offset, size, stride, requires_grad, hooks)");
                return new TorchTensorView(storage, offset, Longs(a[2], "size"), Longs(a[3], "stride"));
            case Callable.RebuildParameter when a.Length == 3 && a[0] is TorchTensorView tensor && a[1] is bool:
                return tensor;
            case TorchStorageType type:
                throw Damaged($"data.pkl calls torch.{type.ClassName} directly; torch.save refers to storages only by persistent id");
            default:
                throw Damaged($"data.pkl calls {Describe(callable)} with {a.Length} arguments, not as torch.save does");
        }
    }

    public object? PersistentLoad(object? id)
    {
        if (id is not PickleTuple { Items: ["storage", TorchStorageType type, string key, string, long numel] })
            throw Damaged("data.pkl: a persistent id is not ('storage', storage class, key, location, numel)");
        if (numel < 0)
            throw Damaged($"data.pkl: storage '{Printable.Of(key)}' has {numel} elements");
        if (_storages.TryGetValue(key, out var known))
        {
            if (known.Type != type || known.Numel != numel)
                throw Damaged($"data.pkl: storage '{Printable.Of(key)}' is named as both {known.Type.ClassName}[{known.Numel}] and {type.ClassName}[{numel}]");
            return known;
        }
        var storage = new TorchStorage(key, type, numel);
        _storages[key] = storage;
        return storage;
    }

    /// <summary>A state dict's OrderedDict may carry its _metadata attribute as state; nothing else is built.</summary>
    public void Build(object? target, object? state)
    {
        if (target is not PickleDict || state is not PickleDict)
            throw Damaged($"data.pkl sets the state of {Describe(target)}, which a state dict never does");
    }

    private long[] Longs(object? value, string what)
    {
        if (value is not PickleTuple tuple || tuple.Items.Any(v => v is not long))
            throw Damaged($"data.pkl: a tensor's {what} is not a tuple of integers");
        return tuple.Items.Select(v => (long)v!).ToArray();
    }

    private QuantaException Damaged(string what) => bad(what + "; the file is damaged or was not written by torch.save");

    private static string Describe(object? value) => value switch
    {
        Callable.OrderedDict => "collections.OrderedDict",
        Callable.RebuildTensor => "torch._utils._rebuild_tensor_v2",
        Callable.RebuildParameter => "torch._utils._rebuild_parameter",
        TorchStorageType t => "torch." + t.ClassName,
        TorchStorage s => $"storage '{Printable.Of(s.Key)}'",
        TorchTensorView => "a tensor",
        _ => PickleKind.Of(value),
    };
}
