namespace QuantaProbe.Models.NeoX;

/// <summary>HF GPT-NeoX (GPTNeoXForCausalLM, the Pythia models): model_type "gpt_neox".</summary>
internal sealed class NeoXArchitecture : IModelArchitecture
{
    public string ModelType => NeoXConfig.ModelType;

    public IModelCheckpoint Open(string checkpointFolder) => NeoXCheckpoint.Open(checkpointFolder);
}
