namespace QuantaProbe.Models.Torch.Pickle;

/// <summary>
/// What the pickle machine cannot decide alone: which globals exist (an allow-list; anything else is
/// refused by name), what calling one of them builds, what a persistent id stands for, and what BUILD may set.
/// </summary>
internal interface IPickleHost
{
    object ResolveGlobal(string module, string name);

    object? Reduce(object? callable, PickleTuple arguments);

    object? PersistentLoad(object? id);

    void Build(object? target, object? state);
}
