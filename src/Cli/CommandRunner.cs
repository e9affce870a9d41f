using QuantaProbe.Core;

namespace QuantaProbe.Cli;

/// <summary>Runs a command's body and turns failures into one line on stderr and an exit code.</summary>
internal static class CommandRunner
{
    public const int UserError = 1;
    public const int InternalError = 2;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(Func<CancellationToken, Task> body, CancellationToken cancel)
    {
        try
        {
            await body(cancel);
            return 0;
        }
        catch (Exception e) when (StorageFull.Describe(e) is { } full)
        {
            Console.Error.WriteLine($"error: {full}; {StorageFull.Advice}");
            return UserError;
        }
        catch (QuantaException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled: completed parts are kept; run the same command again to resume");
            return Cancelled;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message} (completed parts are kept; fix the cause and run the same command again to resume)");
            return UserError;
        }
        catch (UnauthorizedAccessException e)
        {
            Console.Error.WriteLine($"error: {e.Message}; check the permissions of the run folder");
            return UserError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]} (set QUANTA_DEBUG=1 for the stack trace)");
            if (Environment.GetEnvironmentVariable("QUANTA_DEBUG") == "1")
                Console.Error.WriteLine(e);
            return InternalError;
        }
    }
}
