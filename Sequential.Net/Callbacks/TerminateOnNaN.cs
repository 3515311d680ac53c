namespace SequentialNet.Callbacks;

/// <summary>
/// Stops training as soon as the loss becomes NaN or infinite (Keras <c>keras.callbacks.TerminateOnNaN</c>),
/// checked after every training batch. The logged loss is the epoch's running mean, which is NaN or infinite
/// from the first bad batch on, so the stop comes at that batch, as in Keras. Fit leaves the epoch at once,
/// still runs validation and the epoch-end hooks (so <see cref="History"/> has the stopped epoch), and prints
/// <c>Batch N: Invalid loss, terminating training</c> (N is the 0-based batch index).
/// <para>With <see cref="RaiseError"/> (Keras <c>raise_error=True</c>) it throws instead: Fit ends at once with
/// an <see cref="InvalidOperationException"/> and no callback's <c>OnTrainEnd</c> runs (the model keeps the
/// weights of the last step, NaN included). Using this callback makes Fit read the running loss back after
/// each batch.</para>
/// </summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>Creates the callback; <paramref name="raiseError"/> throws instead of stopping gracefully.</summary>
    public TerminateOnNaN(bool raiseError = false) => RaiseError = raiseError;

    /// <summary>Throw an <see cref="InvalidOperationException"/> instead of setting <c>StopTraining</c> (Keras <c>raise_error</c>).</summary>
    public bool RaiseError { get; }

    /// <summary>Where the message goes (standard output by default).</summary>
    public TextWriter Output { get; set; } = Console.Out;

    /// <summary>The batch (0-based, within its epoch) that stopped training, or null.</summary>
    public int? StoppedBatch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => StoppedBatch = null;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs)
    {
        if (!logs.TryGetValue("loss", out double loss) || double.IsFinite(loss)) return;
        StoppedBatch = batch;
        if (RaiseError)
            throw new InvalidOperationException($"TerminateOnNaN: NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. Terminating training immediately.");
        Output.WriteLine($"Batch {batch}: Invalid loss, terminating training");
        if (Model != null) Model.StopTraining = true;
    }
}
