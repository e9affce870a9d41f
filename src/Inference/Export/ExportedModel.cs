namespace QuantaProbe.Export;

/// <summary>What <see cref="ModelExporter"/> wrote: models/&lt;name&gt;/{loss.onnx, model.json}.</summary>
/// <param name="NonEmbeddingParameters">Parameters outside embed_in/embed_out; null when an imported ONNX decoder does not reveal its embeddings.</param>
public sealed record ExportedModel(
    string Name,
    long? Step,
    string ModelFolder,
    string LossOnnxPath,
    long Parameters,
    long? NonEmbeddingParameters);
