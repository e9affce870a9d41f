namespace QuantaProbe.Models;

/// <summary>
/// A model family's architecture (GPT-NeoX, the sparse-parity MLP), chosen by config.json's model_type
/// through the registry <c>Architectures.ModelArchitectures</c>. It opens its checkpoints; an open
/// checkpoint counts its parameters, summarises its config and builds its graphs.
/// </summary>
internal interface IModelArchitecture
{
    /// <summary>config.json's model_type this architecture reads; also the prefix of its graphs' kinds (<see cref="ModelGraphRecipe.Kind"/>).</summary>
    string ModelType { get; }

    /// <summary>
    /// Reads and validates config.json, opens the weights and checks every tensor's name and shape
    /// against the config; one line naming the file on a mismatch.
    /// </summary>
    IModelCheckpoint Open(string checkpointFolder);
}
