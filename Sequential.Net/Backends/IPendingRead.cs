namespace SequentialNet.Backends;

/// <summary>
/// One device → host read that does not wait (<see cref="IAsyncReadback"/>): <see cref="Start"/> queues the copy
/// after the work queued so far and returns; <see cref="TryComplete"/> hands the values over once the device got
/// there, and says "not yet" otherwise. One read in flight at a time.
/// </summary>
public interface IPendingRead : IDisposable
{
    /// <summary>Whether a started read has not been completed yet.</summary>
    bool InFlight { get; }

    /// <summary>Queues a copy of <paramref name="source"/> (at most the length given at creation); throws while one is in flight.</summary>
    void Start(DeviceBuffer source);

    /// <summary>
    /// When the read has landed: copies it into <paramref name="destination"/> (the source's length), ends the
    /// read and returns true. Otherwise returns false at once (never waits, never synchronizes).
    /// </summary>
    bool TryComplete(Span<float> destination);
}
