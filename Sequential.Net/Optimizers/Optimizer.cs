using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Base of the optimizers. The update runs on the backend over the flat parameter buffer, reading the
/// learning rate and step count from device state. Keras names convert implicitly: <c>optimizer: "adam"</c>.
/// </summary>
/// <remarks>
/// Every optimizer takes Keras's common arguments, applied in Keras's order (<c>base_optimizer.apply</c>):
/// first gradient clipping — <c>clipNorm</c> per variable, g·c/max(‖g‖, c); <c>globalClipNorm</c> over all
/// gradients, g·c·min(1/‖G‖, 1/c); or <c>clipValue</c> elementwise, clip(g, −c, c); at most one of them —
/// then decoupled weight decay w ← w − w·wd·lr (<c>weightDecay</c>), then the optimizer's own update.
/// PyTorch differs: its <c>weight_decay</c> is an L2 term added to the gradient (except AdamW), and
/// clipping is a separate call (<c>clip_grad_norm_</c> is global). All of it runs on the device.
/// </remarks>
public abstract class Optimizer
{
    /// <summary>Sets the initial learning rate and the common arguments (null: off).</summary>
    /// <exception cref="ArgumentException">A value out of range, or more than one clipping argument.</exception>
    protected Optimizer(double learningRate, double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate))
            throw new ArgumentException($"{GetType().Name}: expected learningRate > 0. Received: {learningRate}.", nameof(learningRate));
        LearningRate = learningRate;
        if (weightDecay is { } wd && !(wd >= 0 && double.IsFinite(wd)))
            throw new ArgumentException($"{GetType().Name}: expected weightDecay >= 0. Received: {wd}.", nameof(weightDecay));
        CheckClip(clipNorm, nameof(clipNorm)); CheckClip(clipValue, nameof(clipValue)); CheckClip(globalClipNorm, nameof(globalClipNorm));
        if ((clipNorm != null ? 1 : 0) + (clipValue != null ? 1 : 0) + (globalClipNorm != null ? 1 : 0) > 1)
            throw new ArgumentException($"{GetType().Name}: only one of `clipNorm`, `clipValue` and `globalClipNorm` can be set. Received: clipNorm={Show(clipNorm)}, clipValue={Show(clipValue)}, globalClipNorm={Show(globalClipNorm)}.");
        WeightDecay = weightDecay; ClipNorm = clipNorm; ClipValue = clipValue; GlobalClipNorm = globalClipNorm;
    }

    private void CheckClip(double? value, string name)
    {
        if (value is { } v && !(v > 0 && double.IsFinite(v)))
            throw new ArgumentException($"{GetType().Name}: expected {name} > 0 (or null). Received: {v}.", name);
    }

    private static string Show(double? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";

    /// <summary>Keras name, e.g. "adam".</summary>
    public abstract string Name { get; }

    private double _learningRate;

    /// <summary>
    /// The learning rate used by the next step (callbacks may change it between epochs). With a
    /// <see cref="Schedule"/> it is the schedule at <see cref="Iterations"/> and cannot be set.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while the optimizer has a schedule.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative, NaN or infinite value.</exception>
    public double LearningRate
    {
        get => Schedule?.Evaluate(Iterations) ?? _learningRate;
        set
        {
            if (Schedule != null)
                throw new InvalidOperationException($"{GetType().Name}: this optimizer was created with a LearningRateSchedule ({Schedule.Name}) as its learning rate, hence its learning rate is not settable (by ReduceLROnPlateau, LearningRateScheduler or user code). If you need the learning rate to be settable, create the optimizer with a number as learningRate.");
            // 0 is allowed here (a LearningRateScheduler may anneal to 0); the constructor asks for > 0 as Keras's does.
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"{GetType().Name}: expected LearningRate >= 0 and finite. Received: {value}.");
            _learningRate = value;
        }
    }

    /// <summary>The learning-rate schedule evaluated on the device before every step; null: a fixed <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule? Schedule { get; private set; }

    /// <summary>Makes <paramref name="schedule"/> the learning rate (the optimizers' schedule constructors call this).</summary>
    private protected void UseSchedule(LearningRateSchedule schedule)
        => Schedule = schedule ?? throw new ArgumentNullException(nameof(schedule), $"{GetType().Name}: expected a learning-rate schedule. Received: null.");

    /// <summary>Decoupled weight decay wd: w ← w − w·wd·lr after clipping, before the update (Keras <c>weight_decay</c>); null: none.</summary>
    public double? WeightDecay { get; }
    /// <summary>Clips each variable's gradient to L2 norm at most this (Keras <c>clipnorm</c>, per variable); null: off.</summary>
    public double? ClipNorm { get; }
    /// <summary>Clips every gradient element to [−c, c] (Keras <c>clipvalue</c>); null: off.</summary>
    public double? ClipValue { get; }
    /// <summary>Scales all gradients together so their joint L2 norm is at most this (Keras <c>global_clipnorm</c>); null: off.</summary>
    public double? GlobalClipNorm { get; }

    private bool _useEma;
    private double _emaMomentum = 0.99;
    private int? _emaOverwriteFrequency;

    /// <summary>
    /// Keras's <c>use_ema</c>: after every step an exponential moving average of each trainable variable is kept on
    /// the device (one more optimizer slot, saved and restored with the others); at the end of Fit the variables
    /// are overwritten with it (Keras's <c>finalize_variable_values</c>), and every
    /// <see cref="EmaOverwriteFrequency"/> steps when that is set. Default false.
    /// </summary>
    public bool UseEma { get => _useEma; init => _useEma = value; }

    /// <summary>Keras's <c>ema_momentum</c> μ in [0, 1], default 0.99: average ← μ·average + (1 − μ)·variable (μ = 0 at the first step).</summary>
    /// <exception cref="ArgumentException">Outside [0, 1].</exception>
    public double EmaMomentum
    {
        get => _emaMomentum;
        init => _emaMomentum = value is >= 0 and <= 1 ? value
            : throw new ArgumentException($"{GetType().Name}: `ema_momentum` must be in the range [0, 1]. Received: ema_momentum={value}", nameof(EmaMomentum));
    }

    /// <summary>Keras's <c>ema_overwrite_frequency</c>: overwrite the variables with their average every this many steps; null (default): only at the end of Fit.</summary>
    /// <exception cref="ArgumentException">Less than 1.</exception>
    public int? EmaOverwriteFrequency
    {
        get => _emaOverwriteFrequency;
        init => _emaOverwriteFrequency = value is null or >= 1 ? value
            : throw new ArgumentException($"{GetType().Name}: `ema_overwrite_frequency` must be an integer >= 1 or None. Received: ema_overwrite_frequency={value}", nameof(EmaOverwriteFrequency));
    }

    /// <summary>Sets the EMA arguments read from a saved config (they are not constructor parameters).</summary>
    internal void RestoreEma(bool useEma, double momentum, int? overwriteFrequency)
    {
        _useEma = useEma;
        EmaMomentumChecked(momentum);
        _emaOverwriteFrequency = overwriteFrequency is null or >= 1 ? overwriteFrequency
            : throw new ArgumentException($"{GetType().Name}: `ema_overwrite_frequency` must be an integer >= 1 or None. Received: ema_overwrite_frequency={overwriteFrequency}");
    }

    private void EmaMomentumChecked(double momentum)
        => _emaMomentum = momentum is >= 0 and <= 1 ? momentum
            : throw new ArgumentException($"{GetType().Name}: `ema_momentum` must be in the range [0, 1]. Received: ema_momentum={momentum}");

    /// <summary>Slots the device holds: the optimizer's own, then the EMA average when <see cref="UseEma"/>.</summary>
    internal int StateSlotCount => SlotCount + (UseEma ? 1 : 0);

    /// <summary>Names of <see cref="StateSlotCount"/> slots, as saved ("average" for the EMA, Keras's variable name).</summary>
    internal string[] StateSlotNames => UseEma ? [.. SlotNames, "average"] : SlotNames;

    /// <summary>
    /// Keras's <c>finalize_variable_values</c>: with <see cref="UseEma"/>, the variables take their averages (at the
    /// end of Fit). Nothing before the first step, whose average does not exist yet.
    /// </summary>
    internal void FinalizeVariableValues(IBackend backend, ParameterStore store, DeviceBuffer[] slots, long iterations)
    {
        if (UseEma && iterations > 0) backend.Copy(slots[SlotCount], store.Params);
    }

    /// <summary>Steps taken so far (Keras <c>optimizer.iterations</c>); kept current after each Fit.</summary>
    public long Iterations { get; internal set; }

    /// <summary>Number of flat state buffers (slots) the same size as the parameters: Adam 2, SGD with momentum 1.</summary>
    internal abstract int SlotCount { get; }

    /// <summary>Keras names of the slots, in slot order (the saved file names the tensors by them).</summary>
    internal abstract string[] SlotNames { get; }

    /// <summary>Named float state kept in the device hyper-parameters (Nadam's u_product), saved and restored with the slots.</summary>
    internal virtual (string Name, int Slot)[] DeviceScalars => [];

    /// <summary>
    /// The optimizer's state while no compiled model holds it on a device (after Dispose or before a
    /// re-Compile): each trainable variable's slot values and the device scalars. Keras 3 keeps this state
    /// in the optimizer object, so a model compiled again with the same optimizer continues where it was.
    /// </summary>
    internal Dictionary<Variable, float[][]> SlotValues { get; } = [];

    /// <summary>The device scalars (see <see cref="DeviceScalars"/>) kept with <see cref="SlotValues"/>.</summary>
    internal Dictionary<string, float> ScalarValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets the slots' initial values once they are allocated (zeros unless overridden).</summary>
    internal virtual void InitializeSlots(IBackend backend, DeviceBuffer[] slots) { }

    /// <summary>
    /// Runs one step in Keras's order: clipping, weight decay, the update, then iterations += 1. The
    /// slots are this optimizer's state buffers for the model being trained.
    /// </summary>
    internal void Step(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
    {
        // Keras evaluates the schedule at iterations (before the update); weight decay uses the same rate.
        if (Schedule is { } schedule)
            backend.ScheduleLearningRate(schedule.ToDevice(state.ScheduleTables), state.Hyper, state.Counters);
        if (ClipNorm is { } c)
            backend.ClipGradientNorms(store.Grads, store.Segments, store.Trainable.Length, store.SquaredNorms, (float)c, global: false);
        else if (GlobalClipNorm is { } gc)
            backend.ClipGradientNorms(store.Grads, store.Segments, store.Trainable.Length, store.SquaredNorms, (float)gc, global: true);
        else if (ClipValue is { } v)
            backend.ClipGradientValues(store.Grads, (float)v);
        if (WeightDecay is { } wd && wd > 0)
            backend.DecayWeights(store.Params, state.Hyper, (float)wd);
        Update(backend, store, slots, state);
        if (UseEma) backend.EmaUpdate(store.Params, slots[SlotCount], state.Counters, (float)EmaMomentum, EmaOverwriteFrequency ?? 0);
        backend.AddToCounter(state.Counters, StateSlots.OptimizerStep, 1);
    }

    /// <summary>The optimizer's own update (Keras <c>update_step</c>); the step counter is not advanced yet.</summary>
    private protected abstract void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state);

    /// <summary>Keras-style configuration: name, learning_rate, weight_decay, clipnorm, global_clipnorm, clipvalue, use_ema, ema_momentum, ema_overwrite_frequency and the optimizer's own keys.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["learning_rate"] = Schedule is { } s ? Saving.ConfigValues.Schedule(s) : LearningRate, ["weight_decay"] = WeightDecay,
        ["clipnorm"] = ClipNorm, ["global_clipnorm"] = GlobalClipNorm, ["clipvalue"] = ClipValue,
        ["use_ema"] = UseEma, ["ema_momentum"] = EmaMomentum, ["ema_overwrite_frequency"] = EmaOverwriteFrequency,
    };

    /// <summary>Looks up an optimizer by Keras name, with Keras's default arguments.</summary>
    public static implicit operator Optimizer(string name) => Get(name);

    private static readonly Dictionary<string, Func<Optimizer>> ByName = new(StringComparer.Ordinal)
    {
        ["adam"] = () => new Adam(), ["sgd"] = () => new SGD(), ["rmsprop"] = () => new RMSprop(),
        ["adamw"] = () => new AdamW(), ["adagrad"] = () => new Adagrad(), ["nadam"] = () => new Nadam(),
        ["adamax"] = () => new Adamax(), ["lion"] = () => new Lion(), ["adadelta"] = () => new Adadelta(),
        ["ftrl"] = () => new Ftrl(),
    };

    /// <summary>The optimizer called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Optimizer Get(string name) => Names.Get(name);

    private static NameTable<Optimizer>? s_names;

    /// <summary>Every name of every built-in optimizer (any letter case; class names too).</summary>
    internal static NameTable<Optimizer> Names => s_names ??= NameTable<Optimizer>.From("optimizer", ByName);
}
