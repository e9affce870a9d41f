using System.Diagnostics;
using Spectre.Console;

namespace QuantaProbe.Cli;

/// <summary>
/// A progress bar on an interactive terminal; otherwise (logs, CI, nohup) a status line every few
/// seconds, so overnight logs show the rate and how far a run got.
/// </summary>
internal static class ProgressDisplay
{
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsErrorRedirected;

    public static async Task<T> RunAsync<T>(string title, Func<Action<double, double, string>, Task<T>> work)
    {
        if (Interactive)
        {
            T result = default!;
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask(title, maxValue: 1);
                    result = await work((done, total, status) =>
                    {
                        task.MaxValue = Math.Max(total, 1);
                        task.Value = Math.Min(done, task.MaxValue);
                        task.Description = $"{title} {Markup.Escape(status)}";
                    });
                    task.Value = task.MaxValue;
                });
            return result;
        }

        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        return await work((done, total, status) =>
        {
            if (clock.Elapsed - last < TimeSpan.FromSeconds(5))
                return;
            last = clock.Elapsed;
            Console.Error.WriteLine($"{title}: {(total > 0 ? 100 * done / total : 0):F1}% {status}");
        });
    }
}
