using System.Reflection;
using System.Reflection.Emit;

namespace QuantaProbe.Tests.Architecture;

/// <summary>
/// Which of the project's namespaces use which, read from the compiled assemblies: every type's base,
/// interfaces, fields, signatures and the members its method bodies reference (IL tokens), so that an
/// implicit parent-namespace lookup or a fully qualified name counts as well as a using directive.
/// </summary>
internal static class NamespaceGraph
{
    private const string Prefix = "QuantaProbe.";
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>namespace → the other project namespaces it uses.</summary>
    public static Dictionary<string, SortedSet<string>> Of(IEnumerable<Assembly> assemblies)
    {
        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var assembly in assemblies)
            foreach (var type in assembly.GetTypes())
            {
                if (type.Namespace is not { } from || !from.StartsWith(Prefix, StringComparison.Ordinal))
                    continue;
                var used = edges.TryGetValue(from, out var set) ? set : edges[from] = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var to in TypesUsedBy(type).SelectMany(Flatten).Select(t => t.Namespace))
                    if (to is not null && to != from && to.StartsWith(Prefix, StringComparison.Ordinal))
                        used.Add(to);
            }
        return edges;
    }

    /// <summary>Strongly connected groups of two or more namespaces (each group is a cycle).</summary>
    public static List<List<string>> Cycles(Dictionary<string, SortedSet<string>> edges)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        int next = 0;
        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.GetValueOrDefault(v) ?? [])
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v])
                return;
            var group = new List<string>();
            string x;
            do { x = stack.Pop(); onStack.Remove(x); group.Add(x); } while (x != v);
            if (group.Count > 1)
                result.Add(group.Order(StringComparer.Ordinal).ToList());
        }
        foreach (var v in edges.Keys.Order(StringComparer.Ordinal))
            if (!index.ContainsKey(v))
                Visit(v);
        return result;
    }

    private static IEnumerable<Type> TypesUsedBy(Type type)
    {
        if (type.BaseType is { } b) yield return b;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var f in type.GetFields(Everything)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Everything)) yield return p.PropertyType;
        foreach (var m in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            if (m is MethodInfo mi) yield return mi.ReturnType;
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var t in TypesInBody(m)) yield return t;
        }
    }

    private static IEnumerable<Type> TypesInBody(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception) { il = null; }
        if (il is null)
            yield break;
        var module = method.Module;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE && at + 1 < il.Length ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += value > 0xFF || value < 0 ? 2 : 1;
            if (!OpCodesByValue.TryGetValue(value, out var op))
                yield break;
            switch (op.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var member = Resolve(module, BitConverter.ToInt32(il, at), typeArgs, methodArgs);
                    if (member is Type t) yield return t;
                    else if (member?.DeclaringType is { } declaring) yield return declaring;
                    if (member is FieldInfo f) yield return f.FieldType;
                    if (member is MethodInfo m)
                    {
                        yield return m.ReturnType;
                        if (m.IsGenericMethod) foreach (var a in m.GetGenericArguments()) yield return a;
                    }
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + 4 * BitConverter.ToInt32(il, at);
                    break;
                default:
                    at += OperandSize(op.OperandType);
                    break;
            }
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try { return module.ResolveMember(token, typeArgs, methodArgs); }
        catch (Exception) { return null; }
    }

    private static int OperandSize(OperandType t) => t switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    /// <summary>A type and the types it is made of (element types, generic arguments).</summary>
    private static IEnumerable<Type> Flatten(Type t)
    {
        if (t.HasElementType && t.GetElementType() is { } e)
        {
            foreach (var x in Flatten(e)) yield return x;
            yield break;
        }
        yield return t;
        if (t.IsGenericType && !t.IsGenericTypeDefinition)
            foreach (var a in t.GetGenericArguments())
                foreach (var x in Flatten(a)) yield return x;
    }
}
