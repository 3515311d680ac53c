namespace SequentialNet.Backends;

/// <summary>
/// Records one step on an <see cref="IStepCapture"/> backend so that no failure leaves it recording: an
/// exception while the step queues its work ends the recording, discards what it holds and propagates;
/// a recording that cannot be ended or made executable (the driver refused something in it) is reported
/// in one line, and the caller runs that step shape eagerly from then on.
/// </summary>
internal static class StepCaptureGuard
{
    /// <summary>Where the one-line notice of a failed recording goes (standard error; tests replace it).</summary>
    internal static Action<string> Notice { get; set; } = line => Console.Error.WriteLine(line);

    /// <summary>
    /// Records <paramref name="step"/>: the handle of the recording, or 0 when the recording failed at its end
    /// (then nothing of the step has run, and it should run eagerly).
    /// </summary>
    public static nint Record(IStepCapture capture, Action step)
    {
        capture.BeginCapture();
        try
        {
            step();
        }
        catch
        {
            capture.AbortCapture();
            throw;
        }
        try
        {
            return capture.EndCapture();
        }
        catch (InvalidOperationException e)
        {
            capture.AbortCapture();   // a no-op when ending left the backend out of capture mode, as it should
            Notice($"Sequential.Net: a training step could not be recorded as a CUDA graph, so this step shape runs without one ({e.Message})");
            return 0;
        }
    }
}
