using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// FTRL-Proximal with Keras 3's formula (<c>ftrl.py</c>) and defaults. Per element, with p = −learningRatePower,
/// accumulator n (starting at <paramref name="initialAccumulatorValue"/>) and linear z (starting at 0):
/// n' = n + g²; z += g + 2·l2Shrinkage·w − (n'^p − n^p)/lr·w; w = (clip(z, −l1, l1) − z) / (n'^p/lr + 2·(l2 + β/(2·lr))); n = n'.
/// The step runs on the device.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="learningRatePower">How the per-coordinate rate falls as the accumulator grows; ≤ 0, default −0.5.</param>
/// <param name="initialAccumulatorValue">Starting accumulator; ≥ 0, default 0.1.</param>
/// <param name="l1RegularizationStrength">l1 ≥ 0, default 0 (weights with |z| ≤ l1 become exactly 0).</param>
/// <param name="l2RegularizationStrength">l2 ≥ 0, default 0.</param>
/// <param name="l2ShrinkageRegularizationStrength">Shrinkage-type l2 added to the gradient as 2·s·w; ≥ 0, default 0.</param>
/// <param name="beta">β, added to l2 as β/(2·lr), default 0.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class Ftrl(double learningRate = 1e-3, double learningRatePower = -0.5, double initialAccumulatorValue = 0.1,
    double l1RegularizationStrength = 0, double l2RegularizationStrength = 0, double l2ShrinkageRegularizationStrength = 0, double beta = 0,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>The same optimizer with a learning-rate schedule instead of a fixed rate.</summary>
    public Ftrl(LearningRateSchedule learningRate, double learningRatePower = -0.5, double initialAccumulatorValue = 0.1,
        double l1RegularizationStrength = 0, double l2RegularizationStrength = 0, double l2ShrinkageRegularizationStrength = 0, double beta = 0,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, learningRatePower, initialAccumulatorValue, l1RegularizationStrength, l2RegularizationStrength,
            l2ShrinkageRegularizationStrength, beta, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>The learning-rate power, ≤ 0.</summary>
    public double LearningRatePower { get; } = learningRatePower <= 0 ? learningRatePower
        : throw new ArgumentException($"Ftrl: `learningRatePower` needs to be negative or zero. Received: learningRatePower={learningRatePower}.", nameof(learningRatePower));
    /// <summary>The accumulator's starting value.</summary>
    public double InitialAccumulatorValue { get; } = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
    /// <summary>l1.</summary>
    public double L1RegularizationStrength { get; } = NonNegative(l1RegularizationStrength, nameof(l1RegularizationStrength));
    /// <summary>l2.</summary>
    public double L2RegularizationStrength { get; } = NonNegative(l2RegularizationStrength, nameof(l2RegularizationStrength));
    /// <summary>Shrinkage-type l2.</summary>
    public double L2ShrinkageRegularizationStrength { get; } = NonNegative(l2ShrinkageRegularizationStrength, nameof(l2ShrinkageRegularizationStrength));
    /// <summary>β.</summary>
    public double Beta { get; } = double.IsFinite(beta) ? beta : throw new ArgumentException($"Ftrl: expected a finite beta. Received: beta={beta}.", nameof(beta));

    private static double NonNegative(double value, string name)
        => value is >= 0 and < double.PositiveInfinity ? value
            : throw new ArgumentException($"Ftrl: `{name}` needs to be positive or zero. Received: {name}={value}.", name);

    /// <inheritdoc/>
    public override string Name => "ftrl";
    internal override int SlotCount => 2;
    internal override string[] SlotNames => ["accumulator", "linear"];

    internal override void InitializeSlots(IBackend backend, DeviceBuffer[] slots) => backend.Fill(slots[0], (float)InitialAccumulatorValue);

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.FtrlStep(store.Params, store.Grads, slots[0], slots[1], state.Hyper, (float)LearningRatePower,
            (float)L1RegularizationStrength, (float)L2RegularizationStrength, (float)L2ShrinkageRegularizationStrength, (float)Beta);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["learning_rate_power"] = LearningRatePower; c["initial_accumulator_value"] = InitialAccumulatorValue;
        c["l1_regularization_strength"] = L1RegularizationStrength; c["l2_regularization_strength"] = L2RegularizationStrength;
        c["l2_shrinkage_regularization_strength"] = L2ShrinkageRegularizationStrength; c["beta"] = Beta;
        return c;
    }
}
