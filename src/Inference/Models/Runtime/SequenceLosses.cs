namespace QuantaProbe.Models.Runtime;

/// <summary>
/// One sequence's per-token results: Loss[t] is the cross-entropy in nats of predicting token t+1
/// from tokens 0..t (so its length is the sequence length − 1), Entropy[t] the entropy of that prediction.
/// Models that score one position only (a classifier's label) return that one, at <paramref name="FirstPosition"/>.
/// </summary>
/// <param name="FirstPosition">The index of the token Loss[0] predicts.</param>
public sealed record SequenceLosses(float[] Loss, float[] Entropy, int FirstPosition = 1);
