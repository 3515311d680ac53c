namespace SequentialNet.Backends;

/// <summary>
/// A backend whose reads can run behind queued work: a copy into page-locked host memory recorded on the
/// stream with a completion event, looked at later without waiting (the CUDA backend). Fit reads the progress
/// bar's running metrics this way, so with verbose 1 the CPU never waits for the GPU inside an epoch. A backend
/// without it (the CPU backend, where a read waits for nothing) is read directly.
/// </summary>
public interface IAsyncReadback
{
    /// <summary>A reusable read of up to <paramref name="length"/> floats (its host memory is allocated now, once).</summary>
    IPendingRead CreatePendingRead(int length);
}
