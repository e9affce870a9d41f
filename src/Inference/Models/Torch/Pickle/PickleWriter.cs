using System.Buffers.Binary;
using System.Text;

namespace QuantaProbe.Models.Torch.Pickle;

/// <summary>Emits protocol-2 pickle opcodes, the subset torch.save uses for a state dict.</summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _out = new();

    public byte[] ToArray() => _out.ToArray();

    public PickleWriter Proto() => Op(0x80).Byte(2);
    public PickleWriter Stop() => Op((byte)'.');
    public PickleWriter Mark() => Op((byte)'(');
    public PickleWriter Tuple() => Op((byte)'t');
    public PickleWriter EmptyTuple() => Op((byte)')');
    public PickleWriter Reduce() => Op((byte)'R');
    public PickleWriter SetItems() => Op((byte)'u');
    public PickleWriter BinPersId() => Op((byte)'Q');
    public PickleWriter Bool(bool value) => Op(value ? (byte)0x88 : (byte)0x89);

    public PickleWriter Global(string module, string name) => Op((byte)'c').Bytes(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleWriter Unicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        return Op((byte)'X').Bytes(length).Bytes(bytes);
    }

    /// <summary>The shortest of BININT1, BININT2, BININT and LONG1 that holds the value, as pickle chooses.</summary>
    public PickleWriter Int(long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        if (value is >= 0 and <= byte.MaxValue)
            return Op((byte)'K').Byte((byte)value);
        if (value is >= 0 and <= ushort.MaxValue)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)value);
            return Op((byte)'M').Bytes(buffer[..2]);
        }
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer, (int)value);
            return Op((byte)'J').Bytes(buffer[..4]);
        }
        BinaryPrimitives.WriteInt64LittleEndian(buffer, value);
        int length = 8;
        while (length > 1 && buffer[length - 1] == (value < 0 ? 0xFF : 0) && (buffer[length - 2] & 0x80) == (value < 0 ? 0x80 : 0))
            length--;
        return Op(0x8a).Byte((byte)length).Bytes(buffer[..length]);
    }

    public PickleWriter Ints(IEnumerable<long> values)
    {
        Mark();
        foreach (var v in values)
            Int(v);
        return Tuple();
    }

    private PickleWriter Op(byte op) => Byte(op);

    private PickleWriter Byte(byte value)
    {
        _out.WriteByte(value);
        return this;
    }

    private PickleWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        return this;
    }
}
