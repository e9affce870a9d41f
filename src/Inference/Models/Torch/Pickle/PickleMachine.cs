using System.Buffers.Binary;
using System.Text;
using QuantaProbe.Core;

namespace QuantaProbe.Models.Torch.Pickle;

/// <summary>
/// Runs a pickle of the opcodes torch.save (protocol 2) emits, and nothing else. It never imports or
/// calls anything: GLOBAL, REDUCE, BUILD and persistent ids go to an <see cref="IPickleHost"/>, which
/// allows only what a state dict needs. Every length is checked against the bytes left, and each opcode
/// pushes at most one value, so memory stays proportional to the pickle's size.
/// </summary>
internal sealed class PickleMachine
{
    private const int MaxGlobalNameBytes = 256;
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private readonly byte[] _pickle;
    private readonly IPickleHost _host;
    private readonly Func<string, QuantaException> _bad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<uint, object?> _memo = [];
    private int _at;

    private PickleMachine(byte[] pickle, IPickleHost host, Func<string, QuantaException> bad)
    {
        _pickle = pickle;
        _host = host;
        _bad = bad;
    }

    /// <summary>The value the pickle builds. <paramref name="bad"/> makes the one-line error naming the file.</summary>
    public static object? Run(byte[] pickle, IPickleHost host, Func<string, QuantaException> bad) =>
        new PickleMachine(pickle, host, bad).Run();

    private object? Run()
    {
        while (true)
        {
            int position = _at;
            byte op = Byte();
            switch (op)
            {
                case 0x80: // PROTO
                    if (Byte() > 5) throw Bad($"pickle protocol above 5 at byte {position}");
                    break;
                case (byte)'.': // STOP
                    var result = Pop();
                    if (_marks.Count != 0) throw Bad("the pickle stops inside an unfinished MARK");
                    return result;
                case (byte)'(': _marks.Push(_stack.Count); break;
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopToMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(Long1(position)); break;
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;
                case (byte)'X': Push(Unicode(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), position)); break;
                case (byte)')': Push(new PickleTuple([])); break;
                case (byte)'t': Push(new PickleTuple(PopToMark())); break;
                case 0x85: Push(new PickleTuple(PopMany(1))); break;
                case 0x86: Push(new PickleTuple(PopMany(2))); break;
                case 0x87: Push(new PickleTuple(PopMany(3))); break;
                case (byte)']': Push(new PickleList()); break;
                case (byte)'l':
                {
                    var list = new PickleList();
                    list.Items.AddRange(PopToMark());
                    Push(list);
                    break;
                }
                case (byte)'a':
                {
                    var item = Pop();
                    ListAt(Peek(), position).Items.Add(item);
                    break;
                }
                case (byte)'e':
                {
                    var items = PopToMark();
                    ListAt(Peek(), position).Items.AddRange(items);
                    break;
                }
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)'d':
                {
                    var dict = new PickleDict();
                    AddPairs(dict, PopToMark(), position);
                    Push(dict);
                    break;
                }
                case (byte)'s':
                {
                    var value = Pop();
                    var key = Pop();
                    DictAt(Peek(), position).Items.Add(new(key, value));
                    break;
                }
                case (byte)'u':
                {
                    var pairs = PopToMark();
                    AddPairs(DictAt(Peek(), position), pairs, position);
                    break;
                }
                case (byte)'c': // GLOBAL module\nname\n
                {
                    string module = Line(position), name = Line(position);
                    Push(_host.ResolveGlobal(module, name));
                    break;
                }
                case (byte)'R': // REDUCE
                {
                    var arguments = Pop() as PickleTuple ?? throw Bad($"REDUCE at byte {position} without an argument tuple");
                    Push(_host.Reduce(Pop(), arguments));
                    break;
                }
                case (byte)'b': // BUILD
                {
                    var state = Pop();
                    _host.Build(Peek(), state);
                    break;
                }
                case (byte)'Q': Push(_host.PersistentLoad(Pop())); break; // BINPERSID
                case (byte)'q': _memo[Byte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case (byte)'h': Push(Memo(Byte(), position)); break; // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), position)); break; // LONG_BINGET
                default:
                    throw Bad($"pickle opcode 0x{op:x2} at byte {position} is not one torch.save writes");
            }
        }
    }

    private byte Byte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(int count)
    {
        if (_pickle.Length - _at < count)
            throw Bad($"the pickle ends at byte {_pickle.Length} in the middle of an opcode (it has no STOP)");
        var span = _pickle.AsSpan(_at, count);
        _at += count;
        return span;
    }

    private long Long1(int position)
    {
        int length = Byte();
        if (length > 8)
            throw Bad($"an integer of {length} bytes at byte {position}, larger than any tensor size");
        var bytes = Take(length);
        long value = 0;
        for (int i = length - 1; i >= 0; i--)
            value = (value << 8) | bytes[i];
        if (length is > 0 and < 8 && (bytes[length - 1] & 0x80) != 0)
            value -= 1L << (8 * length); // two's complement, sign-extended
        return value;
    }

    private string Unicode(uint length, int position)
    {
        if (length > (uint)(_pickle.Length - _at))
            throw Bad($"a string at byte {position} claims {length} bytes but the pickle has {_pickle.Length - _at} left");
        try
        {
            return StrictUtf8.GetString(Take((int)length));
        }
        catch (DecoderFallbackException)
        {
            throw Bad($"the string at byte {position} is not UTF-8");
        }
    }

    private string Line(int position)
    {
        int end = Array.IndexOf(_pickle, (byte)'\n', _at, Math.Min(MaxGlobalNameBytes, _pickle.Length - _at));
        if (end < 0)
            throw Bad($"GLOBAL at byte {position} has no name line");
        var bytes = _pickle.AsSpan(_at, end - _at);
        _at = end + 1;
        foreach (byte b in bytes)
            if (b is < 0x21 or > 0x7e)
                throw Bad($"GLOBAL at byte {position} names something that is not a Python identifier");
        return Encoding.ASCII.GetString(bytes);
    }

    private object? Memo(uint index, int position) =>
        _memo.TryGetValue(index, out var value) ? value : throw Bad($"memo entry {index} read at byte {position} was never stored");

    private void Push(object? value) => _stack.Add(value);

    private int Floor => _marks.Count > 0 ? _marks.Peek() : 0;

    private object? Peek() =>
        _stack.Count > Floor ? _stack[^1] : throw Bad($"the pickle reads an empty stack at byte {_at - 1}");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private object?[] PopMany(int count)
    {
        if (_stack.Count - Floor < count)
            throw Bad($"the pickle reads an empty stack at byte {_at - 1}");
        var items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    private object?[] PopToMark()
    {
        if (_marks.Count == 0)
            throw Bad($"the pickle closes a MARK it never opened at byte {_at - 1}");
        int mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark).ToArray();
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private PickleList ListAt(object? value, int position) =>
        value as PickleList ?? throw Bad($"APPEND at byte {position} onto {PickleKind.Of(value)}, not a list");

    private PickleDict DictAt(object? value, int position) =>
        value as PickleDict ?? throw Bad($"SETITEM at byte {position} onto {PickleKind.Of(value)}, not a dict");

    private void AddPairs(PickleDict dict, object?[] flat, int position)
    {
        if (flat.Length % 2 != 0)
            throw Bad($"SETITEMS at byte {position} with an odd number of keys and values");
        for (int i = 0; i < flat.Length; i += 2)
            dict.Items.Add(new(flat[i], flat[i + 1]));
    }

    private QuantaException Bad(string what) => _bad("data.pkl: " + what + "; the file is damaged or was not written by torch.save");
}
