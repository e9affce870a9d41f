namespace QuantaProbe.Models.SparseParity;

/// <summary>The sparse-parity toy's one-hidden-layer MLP (<c>quanta toy sparse-parity</c>): model_type "sparse_parity_mlp".</summary>
internal sealed class MlpArchitecture : IModelArchitecture
{
    public string ModelType => MlpConfig.ModelType;

    public IModelCheckpoint Open(string checkpointFolder) => MlpCheckpoint.Open(checkpointFolder);
}
