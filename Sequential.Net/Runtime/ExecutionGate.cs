namespace SequentialNet;

/// <summary>
/// One model's rule for callers on several threads: calls run one at a time (a caller waits for the call
/// before it), and Fit holds the model for its whole run. A call from another thread while Fit runs
/// throws at once instead of waiting minutes, while Fit's own thread (its callbacks) may call in. The lock
/// is re-entrant, so a call made inside another on the same thread (Save in a callback) goes through.
/// </summary>
internal sealed class ExecutionGate
{
    private readonly Lock _lock = new();
    private volatile Thread? _fitThread;

    /// <summary>Holds the model for <paramref name="who"/> until the returned scope is disposed.</summary>
    /// <exception cref="InvalidOperationException">Fit runs on another thread.</exception>
    public Scope Enter(string who, bool fit = false)
    {
        // Wait in short slices, looking again each time whether a Fit has started on another thread meanwhile:
        // a caller that was already waiting when Fit took the model is refused too, instead of waiting it out.
        while (true)
        {
            var running = _fitThread;
            if (running != null && running != Thread.CurrentThread)
                throw new InvalidOperationException($"{who}: Fit is running on this model on another thread (managed thread {running.ManagedThreadId}). Expected one Fit at a time with no other calls during it: wait for Fit to return, or call a copy of the model (Model.Load of a saved file).");
            if (_lock.TryEnter(WaitSlice)) break;
        }
        if (!fit) return new Scope(this, false);
        if (_fitThread != null)
        {
            _lock.Exit();
            throw new InvalidOperationException($"{who}: Fit is already running on this model (called again from one of its callbacks). Expected one Fit at a time.");
        }
        _fitThread = Thread.CurrentThread;
        return new Scope(this, true);
    }

    private static readonly TimeSpan WaitSlice = TimeSpan.FromMilliseconds(5);

    /// <summary>Releases the model when disposed.</summary>
    internal readonly struct Scope(ExecutionGate gate, bool fit) : IDisposable
    {
        public void Dispose()
        {
            if (fit) gate._fitThread = null;
            gate._lock.Exit();
        }
    }
}
