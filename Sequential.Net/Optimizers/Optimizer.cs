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
        backend.AddToCounter(state.Counters, StateSlots.OptimizerStep, 1);
    }

    /// <summary>The optimizer's own update (Keras <c>update_step</c>); the step counter is not advanced yet.</summary>
    private protected abstract void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state);

    /// <summary>Keras-style configuration: name, learning_rate, weight_decay, clipnorm, global_clipnorm, clipvalue and the optimizer's own keys.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name, ["learning_rate"] = Schedule is { } s ? Saving.ConfigValues.Schedule(s) : LearningRate, ["weight_decay"] = WeightDecay,
        ["clipnorm"] = ClipNorm, ["global_clipnorm"] = GlobalClipNorm, ["clipvalue"] = ClipValue,
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
