namespace QuantaProbe.Core;

/// <summary>
/// An error caused by the user's input or environment. Its message is one line that names the
/// file (and line where there is one) and says how to fix it; the CLI prints it and exits non-zero.
/// </summary>
public sealed class QuantaException : Exception
{
    public QuantaException(string message) : base(message) { }
    public QuantaException(string message, Exception inner) : base(message, inner) { }
}
