using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Lion with Keras 3's formula (<c>lion.py</c>) and defaults: w −= lr·sign(β1·m + (1 − β1)·g), then
/// m = β2·m + (1 − β2)·g. The step runs on the device.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="beta1">Interpolation of the update direction, in (0, 1], default 0.9.</param>
/// <param name="beta2">Decay of the momentum, in [0, 1], default 0.99.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class Lion(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.99,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>The same optimizer with a learning-rate schedule instead of a fixed rate.</summary>
    public Lion(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.99,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, beta1, beta2, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>β1 (Keras: must be in (0, 1]).</summary>
    public double Beta1 { get; } = beta1 is > 0 and <= 1 ? beta1 : throw new ArgumentException($"Lion: expected 0 < beta1 <= 1. Received: {beta1}.", nameof(beta1));
    /// <summary>β2.</summary>
    public double Beta2 { get; } = beta2 is >= 0 and <= 1 ? beta2 : throw new ArgumentException($"Lion: expected 0 <= beta2 <= 1. Received: {beta2}.", nameof(beta2));

    /// <inheritdoc/>
    public override string Name => "lion";
    internal override int SlotCount => 1;
    internal override string[] SlotNames => ["momentum"];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.LionStep(store.Params, store.Grads, slots[0], state.Hyper, (float)Beta1, (float)Beta2);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2;
        return c;
    }
}
