namespace SequentialNet.Backends;

/// <summary>
/// A backend that can record the work a training step queues and replay it as one unit (CUDA graphs).
/// Possible because a step has static shapes, fixed buffers and reads every changing value (cursor,
/// epoch, optimizer step, learning rate) from device memory.
/// </summary>
public interface IStepCapture
{
    /// <summary>Starts recording instead of running.</summary>
    void BeginCapture();

    /// <summary>Stops recording; the handle replays what was recorded.</summary>
    nint EndCapture();

    /// <summary>Ends a recording that failed half-way and discards it, so the backend runs work again (never throws).</summary>
    void AbortCapture();

    /// <summary>Queues the recorded work once.</summary>
    void Replay(nint capture);

    /// <summary>Frees a recording.</summary>
    void DestroyCapture(nint capture);
}
