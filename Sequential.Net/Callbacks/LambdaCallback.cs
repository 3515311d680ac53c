namespace SequentialNet.Callbacks;

/// <summary>
/// A callback made of delegates (Keras <c>keras.callbacks.LambdaCallback</c>); each hook that is not given
/// does nothing. Fit reads the running metrics back after each batch only when a batch delegate is given.
/// Logs passed to the delegates are Fit's live dictionary: copy what you keep.
/// </summary>
/// <param name="onEpochBegin">Called with (epoch, logs) at each epoch start (epoch 0-based).</param>
/// <param name="onEpochEnd">Called with (epoch, logs) at each epoch end.</param>
/// <param name="onTrainBegin">Called with the logs before the first epoch.</param>
/// <param name="onTrainEnd">Called with the logs after training.</param>
/// <param name="onTrainBatchBegin">Called with (batch, logs) before each training batch.</param>
/// <param name="onTrainBatchEnd">Called with (batch, logs) after each training batch.</param>
public sealed class LambdaCallback(
    Action<int, IReadOnlyDictionary<string, double>>? onEpochBegin = null,
    Action<int, IReadOnlyDictionary<string, double>>? onEpochEnd = null,
    Action<IReadOnlyDictionary<string, double>>? onTrainBegin = null,
    Action<IReadOnlyDictionary<string, double>>? onTrainEnd = null,
    Action<int, IReadOnlyDictionary<string, double>>? onTrainBatchBegin = null,
    Action<int, IReadOnlyDictionary<string, double>>? onTrainBatchEnd = null) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) => onEpochBegin?.Invoke(epoch, logs);
    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) => onEpochEnd?.Invoke(epoch, logs);
    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, double> logs) => onTrainBegin?.Invoke(logs);
    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, double> logs) => onTrainEnd?.Invoke(logs);
    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) => onTrainBatchBegin?.Invoke(batch, logs);
    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) => onTrainBatchEnd?.Invoke(batch, logs);

    internal override bool WantsBatchLogs => onTrainBatchBegin != null || onTrainBatchEnd != null;
}
