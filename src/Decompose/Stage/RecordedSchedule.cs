using QuantaProbe.Core;
using QuantaProbe.Core.Contracts;
using QuantaProbe.Decompose.Laws;

namespace QuantaProbe.Decompose.Stage;

/// <summary>
/// The learning-rate schedule a run trained here recorded itself (RUN/toy.json → schedule, the run config's schedule
/// record), used when neither the config nor decompose's flags give one.
/// </summary>
internal static class RecordedSchedule
{
    public static LearningRateSchedule? Read(string runFolder)
    {
        if (GroundTruthSection.ToyPart(GroundTruthSection.ToyManifest(runFolder), "schedule", ContractsJson.Default.LearningRateScheduleRecord, runFolder) is not { } r)
            return null;
        string path = Path.Combine(runFolder, RunPaths.ToyFile);
        if (!Enum.TryParse<LearningRateDecay>(r.Decay, ignoreCase: true, out var decay))
            throw new QuantaException($"{path}: field 'schedule.decay' is '{r.Decay}', not cosine, linear or constant; re-run `quanta toy` to rewrite it");
        var schedule = new LearningRateSchedule
        {
            Optimizer = r.Optimizer, WarmupSteps = r.WarmupSteps, PeakRate = r.PeakLr, FinalRate = r.FinalLr, MinRate = r.MinLr,
            Decay = decay, DecaySteps = r.DecaySteps, TokensPerStep = r.TokensPerStep,
        };
        try
        {
            schedule.Validate();
        }
        catch (QuantaException e)
        {
            throw new QuantaException($"{path}: field 'schedule': {e.Message.TrimEnd('.')}; re-run `quanta toy` to rewrite it");
        }
        return schedule;
    }
}
