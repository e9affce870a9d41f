using System.Diagnostics;
using QuantaProbe.Core;

namespace QuantaProbe.Run;

/// <summary>
/// Where the shards of one run (many processes, often many machines on one shared filesystem) wait
/// for each other: a condition on the run folder's files, polled, with a status line now and then
/// and a time limit (a shard that died is restarted by the scheduler; one that never comes back
/// must not leave the others waiting forever).
/// </summary>
internal sealed class ShardBarrier(TimeSpan limit, TimeSpan poll, Action<string> log)
{
    public Task WaitAsync(string what, Func<bool> done, CancellationToken cancel) =>
        WaitAsync(what, () => Task.FromResult(done()), cancel);

    public async Task WaitAsync(string what, Func<Task<bool>> done, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? lastLog = null;
        while (!await done())
        {
            if (clock.Elapsed > limit)
                throw new QuantaException($"waited {limit.TotalHours:0.##} h for {what}; check that every shard of this run is running (or restart the missing ones), or raise shard_wait_hours in the config");
            if (lastLog is null || clock.Elapsed - lastLog >= TimeSpan.FromSeconds(30))
            {
                log($"waiting for {what} ({clock.Elapsed.TotalMinutes:F0} min)");
                lastLog = clock.Elapsed;
            }
            await Task.Delay(poll, cancel);
        }
    }
}
