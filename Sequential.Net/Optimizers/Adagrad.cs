using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Adagrad with Keras 3's formula (<c>adagrad.py</c>) and defaults: the accumulator starts at
/// <c>initialAccumulatorValue</c> (0.1); a += g²; w −= lr·g/√(a + ε). PyTorch differs: the accumulator
/// starts at 0, ε = 1e-10 is added to √a, lr 0.01, and it has an lr_decay.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="initialAccumulatorValue">Starting value of the accumulator, ≥ 0, default 0.1.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class Adagrad(double learningRate = 1e-3, double initialAccumulatorValue = 0.1, double epsilon = 1e-7,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>
    /// The same optimizer with a learning-rate schedule (evaluated on the device before every step, at the
    /// iterations done) instead of a fixed rate; the other arguments are those of the primary constructor.
    /// </summary>
    public Adagrad(LearningRateSchedule learningRate, double initialAccumulatorValue = 0.1, double epsilon = 1e-7,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, initialAccumulatorValue, epsilon, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>Starting value of the accumulator.</summary>
    public double InitialAccumulatorValue { get; } = initialAccumulatorValue is >= 0 and < double.PositiveInfinity ? initialAccumulatorValue
        : throw new ArgumentException($"Adagrad: expected initialAccumulatorValue >= 0. Received: {initialAccumulatorValue}.", nameof(initialAccumulatorValue));
    /// <summary>ε, added under the square root.</summary>
    public double Epsilon { get; } = epsilon > 0 ? epsilon : throw new ArgumentException($"Adagrad: expected epsilon > 0. Received: {epsilon}.", nameof(epsilon));

    /// <inheritdoc/>
    public override string Name => "adagrad";
    internal override int SlotCount => 1;
    internal override string[] SlotNames => ["accumulator"];

    internal override void InitializeSlots(IBackend backend, DeviceBuffer[] slots) => backend.Fill(slots[0], (float)InitialAccumulatorValue);

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.AdagradStep(store.Params, store.Grads, slots[0], state.Hyper, (float)Epsilon);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["initial_accumulator_value"] = InitialAccumulatorValue; c["epsilon"] = Epsilon;
        return c;
    }
}
