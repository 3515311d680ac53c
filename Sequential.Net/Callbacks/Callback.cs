namespace SequentialNet.Callbacks;

/// <summary>
/// Base class for objects that hook into Fit, Evaluate and Predict, with Keras's hooks. Logs map metric
/// names ("loss", "accuracy", "val_loss", …) to their current values; a hook may read them freely but
/// should copy what it wants to keep, since the same dictionary is reused.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; set before <see cref="OnTrainBegin"/>.</summary>
    public Model? Model { get; internal set; }

    /// <summary>Fit parameters: "epochs", "steps", "verbose".</summary>
    public IReadOnlyDictionary<string, object> Params { get; internal set; } = new Dictionary<string, object>();

    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin(IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called once after training, also when stopped early.</summary>
    public virtual void OnTrainEnd(IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called at the start of epoch <paramref name="epoch"/> (0-based).</summary>
    public virtual void OnEpochBegin(int epoch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called after epoch <paramref name="epoch"/> with training and validation results.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called before training batch <paramref name="batch"/> of the epoch.</summary>
    public virtual void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called after training batch <paramref name="batch"/> with the running epoch averages.</summary>
    public virtual void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called before evaluation (also the validation inside Fit).</summary>
    public virtual void OnTestBegin(IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called after evaluation.</summary>
    public virtual void OnTestEnd(IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called before evaluation batch <paramref name="batch"/>.</summary>
    public virtual void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called after evaluation batch <paramref name="batch"/>.</summary>
    public virtual void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called before prediction.</summary>
    public virtual void OnPredictBegin(IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called after prediction.</summary>
    public virtual void OnPredictEnd(IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called before prediction batch <paramref name="batch"/>.</summary>
    public virtual void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, double> logs) { }
    /// <summary>Called after prediction batch <paramref name="batch"/>.</summary>
    public virtual void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, double> logs) { }

    /// <summary>
    /// True when this callback overrides a per-batch hook. Only then does Fit read the running metrics
    /// back after each batch (on a GPU that is a synchronization), so epoch-level callbacks cost nothing.
    /// </summary>
    internal virtual bool WantsBatchLogs
    {
        get
        {
            foreach (var name in new[] { nameof(OnTrainBatchBegin), nameof(OnTrainBatchEnd), nameof(OnTestBatchEnd), nameof(OnTestBatchBegin) })
                if (GetType().GetMethod(name)!.DeclaringType != typeof(Callback)) return true;
            return false;
        }
    }

    /// <summary>
    /// Adds <paramref name="name"/> to the epoch logs that the callbacks after this one (History, CSVLogger)
    /// see, as Keras callbacks do by writing into <c>logs</c>. Logs that are not Fit's own are left alone.
    /// </summary>
    internal static void AddLog(IReadOnlyDictionary<string, double> logs, string name, double value)
    {
        if (logs is IDictionary<string, double> writable) writable[name] = value;
    }
}
