namespace QuantaProbe.Core.Contracts;

/// <summary>The names of the run folder's folders and files (design/PIPELINE.md, "Run folder").</summary>
public static class RunPaths
{
    public const string Tokens = "tokens";
    public const string Documents = "documents";
    public const string Models = "models";
    public const string Losses = "losses";
    public const string Gradients = "gradients";
    /// <summary>The context probe's losses: targets scored with exactly n tokens of context (<c>quanta infer --context-probe</c>).</summary>
    public const string Context = "context";
    public const string Decompose = "decompose";
    public const string Report = "report";

    /// <summary>Folders under <see cref="Decompose"/>.</summary>
    public const string Clusters = "clusters";
    public const string RankFrequency = "rank_frequency";
    public const string TokenScaling = "token_scaling";
    public const string SubtaskScaling = "subtask_scaling";
    public const string Qdg = "qdg";
    public const string TimeScaling = "time_scaling";
    public const string LearningOrder = "learning_order";
    public const string LearnedAt = "learned_at";
    /// <summary>QDG clusters as learning-order items: cluster_order/model=&lt;m&gt;/part-00000.parquet and the cached result cluster_order/&lt;m&gt;.json.</summary>
    public const string ClusterOrder = "cluster_order";
    public const string Cooccurrence = "cooccurrence";
    public const string ContextEntropy = "context_entropy";
    /// <summary>The corpus-exponent analysis's cached result (corpus_exponents/beta.json), reused while its settings and tokens are unchanged.</summary>
    public const string CorpusExponents = "corpus_exponents";

    public const string IngestFile = "ingest.json";
    public const string ModelFile = "model.json";
    public const string FamilyFile = "family.json";
    public const string RunFile = "run.json";
    public const string SummaryFile = "summary.json";
    /// <summary>The sparse-parity toy's settings and theory, beside ingest.json.</summary>
    public const string ToyFile = "toy.json";

    public static string IngestManifest(string runFolder) => Path.Combine(runFolder, IngestFile);

    public static string ModelsFolder(string runFolder) => Path.Combine(runFolder, Models);

    public static string FamilyManifest(string runFolder) => Path.Combine(runFolder, Models, FamilyFile);

    public static string DecomposeFolder(string runFolder) => Path.Combine(runFolder, Decompose);

    public static string DecomposeSummary(string runFolder) => Path.Combine(runFolder, Decompose, SummaryFile);
}
