using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Adamax with Keras 3's formula (<c>adamax.py</c>) and defaults: m += (g − m)(1 − β1); u = max(β2·u, |g|);
/// w −= lr·m / ((1 − β1^t)(u + ε)), with t the step (1-based). The step runs on the device.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="beta1">Decay of the first moment, in [0, 1), default 0.9.</param>
/// <param name="beta2">Decay of the weighted infinity norm, in [0, 1), default 0.999.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class Adamax(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>The same optimizer with a learning-rate schedule instead of a fixed rate.</summary>
    public Adamax(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, beta1, beta2, epsilon, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>β1.</summary>
    public double Beta1 { get; } = beta1 is >= 0 and < 1 ? beta1 : throw new ArgumentException($"Adamax: expected 0 <= beta1 < 1. Received: {beta1}.", nameof(beta1));
    /// <summary>β2.</summary>
    public double Beta2 { get; } = beta2 is >= 0 and < 1 ? beta2 : throw new ArgumentException($"Adamax: expected 0 <= beta2 < 1. Received: {beta2}.", nameof(beta2));
    /// <summary>ε.</summary>
    public double Epsilon { get; } = epsilon > 0 ? epsilon : throw new ArgumentException($"Adamax: expected epsilon > 0. Received: {epsilon}.", nameof(epsilon));

    /// <inheritdoc/>
    public override string Name => "adamax";
    internal override int SlotCount => 2;
    internal override string[] SlotNames => ["m", "u"];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.AdamaxStep(store.Params, store.Grads, slots[0], slots[1], state.Hyper, state.Counters, (float)Beta1, (float)Beta2, (float)Epsilon);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2; c["epsilon"] = Epsilon;
        return c;
    }
}
