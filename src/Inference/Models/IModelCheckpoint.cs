using System.Text.Json.Nodes;
using QuantaProbe.Models.Weights;
using QuantaProbe.Onnx;
using QuantaProbe.Onnx.Proto;

namespace QuantaProbe.Models;

/// <summary>A checkpoint folder opened by its <see cref="IModelArchitecture"/>: config and weights, checked against each other.</summary>
internal interface IModelCheckpoint : IDisposable
{
    ICheckpointWeights Weights { get; }

    /// <summary>Every parameter the model uses, each once: export reads them all to refuse unreadable or non-finite weights.</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>config.json's training_step, when it has one.</summary>
    long? TrainingStep { get; }

    /// <summary>All parameters, and those outside the embeddings (the scaling law's N; all of them where the model has no embeddings).</summary>
    (long Total, long NonEmbedding) CountParameters();

    /// <summary>The config as model.json records it; its keys are the architecture's own, model_type first.</summary>
    JsonObject Summary();

    /// <summary>
    /// Builds <paramref name="graph"/> on <paramref name="store"/> (placeholders at export, the weights at
    /// session start); one line naming the folder when the architecture has no such graph.
    /// </summary>
    ModelProto Build(ModelGraph graph, InitializerStore store);
}
