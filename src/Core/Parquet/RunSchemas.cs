using Parquet.Schema;

namespace QuantaProbe.Core.Parquet;

/// <summary>The Parquet schemas of the run folder (design/PIPELINE.md, "Parquet schemas").</summary>
public static class RunSchemas
{
    public static class Tokens
    {
        public const string Folder = Contracts.RunPaths.Tokens;
        public static readonly DataField<long> DocId = new("doc_id");
        public static readonly DataField<int> Pos = new("pos");
        public static readonly DataField<int> TokenId = new("token_id");
        public static readonly ParquetSchema Schema = new(DocId, Pos, TokenId);
    }

    public static class Losses
    {
        public const string Folder = Contracts.RunPaths.Losses;
        public static readonly DataField<long> DocId = new("doc_id");
        public static readonly DataField<int> Pos = new("pos");
        public static readonly DataField<float> Loss = new("loss");
        public static readonly DataField<float> Entropy = new("entropy");
        public static readonly ParquetSchema Schema = new(DocId, Pos, Loss, Entropy);
    }

    /// <summary>The context probe: one row per sampled target, scored from a window of exactly <c>context_length</c> tokens before it.</summary>
    public static class Context
    {
        public const string Folder = Contracts.RunPaths.Context;
        public static readonly DataField<int> ContextLength = new("context_length");
        public static readonly DataField<long> DocId = new("doc_id");
        /// <summary>The target's index in its document (≥ context_length).</summary>
        public static readonly DataField<int> Pos = new("pos");
        public static readonly DataField<int> TokenId = new("token_id");
        public static readonly DataField<float> Loss = new("loss");
        public static readonly DataField<float> Entropy = new("entropy");
        public static readonly ParquetSchema Schema = new(ContextLength, DocId, Pos, TokenId, Loss, Entropy);
    }

    public static class Gradients
    {
        public const string Folder = Contracts.RunPaths.Gradients;
        public const string SelectionFile = "selection.parquet";
        public static readonly DataField<int> SampleId = new("sample_id");
        public static readonly DataField<long> DocId = new("doc_id");
        public static readonly DataField<int> Pos = new("pos");
        public static readonly DataField<float> Loss = new("loss");
        /// <summary>A list&lt;float32&gt; column: written flat, with repetition level 0 opening each row.</summary>
        public static readonly DataField<float[]> Sketch = new("sketch");
        public static readonly ParquetSchema Schema = new(SampleId, DocId, Pos, Loss, Sketch);
        /// <summary>The tokens chosen for gradients, with the selecting model's loss.</summary>
        public static readonly DataField<float> SelectionLoss = new("selection_loss");
        public static readonly ParquetSchema SelectionSchema = new(SampleId, DocId, Pos, SelectionLoss);
    }

    public static class Documents
    {
        public const string Folder = Contracts.RunPaths.Documents;
        public static readonly DataField<long> DocId = new("doc_id");
        public static readonly DataField<string> Source = new("source", false);
        public static readonly DataField<int> NTokens = new("n_tokens");
        public static readonly DataField<string> Text = new("text", false);
        public static readonly ParquetSchema Schema = new(DocId, Source, NTokens, Text);
        /// <summary>Data with planted quanta (the sparse-parity toy) add each document's true subtask.</summary>
        public static readonly DataField<int> Subtask = new("subtask");
        public static readonly ParquetSchema GroundTruthSchema = new(DocId, Source, NTokens, Text, Subtask);
    }
}
