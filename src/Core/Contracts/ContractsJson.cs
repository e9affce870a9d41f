using System.Text.Json.Serialization;

namespace QuantaProbe.Core.Contracts;

/// <summary>
/// The run folder's JSON records: snake_case keys in declaration order, indented, nulls written;
/// every constructor parameter without a default must be present, and non-nullable ones non-null.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(IngestManifest))]
[JsonSerializable(typeof(ModelInfo))]
[JsonSerializable(typeof(FamilyFile))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(DecomposeSummary))]
[JsonSerializable(typeof(CorrelationDecayRecord))]
[JsonSerializable(typeof(QdgSimilarityRecord))]
[JsonSerializable(typeof(QdgSubsampleRecord))]
[JsonSerializable(typeof(QdgModelResult))]
[JsonSerializable(typeof(QdgSettingsRecord))]
[JsonSerializable(typeof(ToyTheoryRecord))]
[JsonSerializable(typeof(ToyPaperRecord))]
[JsonSerializable(typeof(ClusterOrderRecord))]
[JsonSerializable(typeof(LearningRateScheduleRecord))]
public sealed partial class ContractsJson : JsonSerializerContext;
