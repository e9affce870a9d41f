using QuantaProbe.Core.Contracts;
using System.Text.Json.Nodes;
using QuantaProbe.Models.NeoX;

namespace QuantaProbe.Tests.Hub;

/// <summary>
/// Issue 16's done-when: a checkpoint of Pythia-70m's real shape (vocab 50304, hidden 512, 6 layers),
/// as the hub publishes training steps (F16 pytorch_model.bin with uint8 causal-mask buffers), runs end
/// to end by its hub name from a hub cache, scoring exactly what the same weights score from safetensors.
/// </summary>
[Trait("tier", "slow")]
public class Pythia70mHubRunTests
{
    private const string Repo = "EleutherAI/pythia-70m";

    [Fact]
    public async Task Run_of_a_70m_shaped_bin_from_the_hub_cache_scores_as_the_same_weights_from_safetensors()
    {
        using var tmp = new TempFolder();
        var shape = NeoXShape.Pythia70m;
        shape.WriteTorchCheckpoint(tmp.Sub("bin"), seed: 7);
        shape.WriteCheckpoint(tmp.Sub("pythia-70m-safetensors"), seed: 7);
        var tree = new HubCacheTree(tmp.Sub("cache"));
        string commit = tree.Add(Repo, "step3000", Path.Combine(tmp.Path, "bin"));
        Directory.Delete(Path.Combine(tmp.Path, "bin"), recursive: true);

        File.WriteAllLines(Path.Combine(tmp.Path, "corpus.jsonl"), File.ReadLines(SharedData.Corpus("mixed-heldout.jsonl")).Take(4));
        string config = tmp.File("config.json", $$"""
            {
              "run_folder": "run", "corpus": "corpus.jsonl", "context_length": 48, "threads": 2,
              "tokenizer": "{{SharedData.Tokenizer("pythia-8k")}}",
              "family": [ "{{Repo}}@step3000", "pythia-70m-safetensors" ],
              "gradients": { "select": "random", "n": 6, "seed": 1 },
              "decompose": { "k": [2, 4], "reference_k": 2, "resamples": 20, "qdg_resamples": 20 },
              "report": false
            }
            """);
        var (code, output, err) = QuantaProcess.Run(HubCacheTree.Environment("HF_HUB_CACHE", tree.Root), "run", config);
        Assert.True(code == 0, err);
        Assert.Contains("run: 2 models", output);

        string run = Path.Combine(tmp.Path, "run");
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "models", "pythia-70m-step3000", "model.json")))!;
        Assert.Equal(commit, model["hub"]!["commit"]!.GetValue<string>());
        Assert.Equal(50304, model["config"]!["vocab_size"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(tree.Snapshot(Repo, commit), "pytorch_model.bin")));

        var fromBin = await ParquetTestReader.ColumnAsync<float>(ModelPartitions.Folder(run, ModelDataset.Losses, "pythia-70m-step3000"), "loss");
        var fromSafetensors = await ParquetTestReader.ColumnAsync<float>(ModelPartitions.Folder(run, ModelDataset.Losses, "pythia-70m-safetensors"), "loss");
        Assert.True(fromBin.Length > 50, $"{fromBin.Length} losses");
        // Random weights: about ln(50304) nats a token, so the losses are the network's, not a constant.
        Assert.InRange(fromBin.Average(), 9.5, 12.5);
        Assert.Equal(fromSafetensors, fromBin);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(run, "gradients"), "part-*.parquet", SearchOption.AllDirectories));
    }
}
