using System.Text.Encodings.Web;
using System.Text.Json;

namespace QuantaProbe.Sampling;

/// <summary>
/// One JSON line per document, <c>{"text": ..., "meta": {"source": "sampled/&lt;model&gt;"}}</c>, as
/// The Pile's files are (so `quanta ingest` keeps meta.source as the source). Non-ASCII text is
/// written as UTF-8, not escaped.
/// </summary>
internal sealed class SampledDocumentWriter(Stream stream, string source)
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Write(string text)
    {
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("text", text);
            json.WriteStartObject("meta");
            json.WriteString("source", source);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
