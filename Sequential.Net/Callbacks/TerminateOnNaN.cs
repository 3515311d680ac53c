namespace SequentialNet.Callbacks;

/// <summary>
/// Stops training as soon as the loss becomes NaN or infinite (Keras <c>keras.callbacks.TerminateOnNaN</c>),
/// checked after every training batch. The logged loss is the epoch's running mean, which is NaN or infinite
/// from the first bad batch on, so the stop comes at that batch, as in Keras. Fit leaves the epoch at once,
/// still runs validation and the epoch-end hooks (so <see cref="History"/> has the stopped epoch), and prints
/// <c>Batch N: Invalid loss, terminating training</c> (N is the 0-based batch index).
/// <para>Like Keras's default <c>raise_error=False</c>; the raising variant is not offered. Using this
/// callback makes Fit read the running loss back after each batch.</para>
/// </summary>
public sealed class TerminateOnNaN : Callback
{
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
        Output.WriteLine($"Batch {batch}: Invalid loss, terminating training");
        StoppedBatch = batch;
        if (Model != null) Model.StopTraining = true;
    }
}
