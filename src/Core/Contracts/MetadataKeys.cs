namespace QuantaProbe.Core.Contracts;

/// <summary>The Parquet key-value metadata keys the stages write into their part files.</summary>
public static class MetadataKeys
{
    public const string Stage = "quanta.stage";
    public const string Model = "quanta.model";
    public const string Models = "quanta.models";
    public const string Step = "quanta.step";
    public const string Device = "quanta.device";
    public const string Parameters = "quanta.parameters";
    public const string NonEmbeddingParameters = "quanta.non_embedding_parameters";
    public const string WeightsSha256 = "quanta.weights_sha256";

    public const string TokenizerSha256 = "quanta.tokenizer_sha256";
    public const string ContextLength = "quanta.context_length";
    public const string DocumentsPerPart = "quanta.docs_per_part";
    public const string CorpusFingerprint = "quanta.corpus_fingerprint";
    public const string Separator = "quanta.separator";
    public const string TextColumn = "quanta.text_column";
    public const string VocabSize = "quanta.vocab_size";
    public const string Toy = "quanta.toy";

    public const string SelectionModel = "quanta.selection_model";
    public const string Selection = "quanta.selection";
    public const string GradientMode = "quanta.gradient_mode";
    public const string GradientDim = "quanta.gradient_dim";
    public const string GradientLayout = "quanta.gradient_layout";
    public const string SketchKIn = "quanta.sketch_k_in";
    public const string SketchKOut = "quanta.sketch_k_out";
    public const string SketchSeed = "quanta.sketch_seed";

    /// <summary>The context probe's part: its context length n, the whole grid of n, targets per n, sampling seed.</summary>
    public const string ProbeContextLength = "quanta.probe_context_length";
    public const string ProbeContextLengths = "quanta.probe_context_lengths";
    public const string ProbeTargets = "quanta.probe_targets";
    public const string ProbeSeed = "quanta.probe_seed";

    public const string QdgSettings = "quanta.qdg_settings";
}
