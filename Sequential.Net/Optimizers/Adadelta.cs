using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Adadelta with Keras 3's formula (<c>adadelta.py</c>) and defaults (lr 0.001, ρ 0.95, ε 1e-7):
/// a = ρ·a + (1 − ρ)·g²; d = −√(b + ε)/√(a + ε)·g; b = ρ·b + (1 − ρ)·d²; w += lr·d. The step runs on the device.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="rho">Decay of both running averages, in [0, 1), default 0.95.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class Adadelta(double learningRate = 1e-3, double rho = 0.95, double epsilon = 1e-7,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>The same optimizer with a learning-rate schedule instead of a fixed rate.</summary>
    public Adadelta(LearningRateSchedule learningRate, double rho = 0.95, double epsilon = 1e-7,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, rho, epsilon, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>ρ.</summary>
    public double Rho { get; } = rho is >= 0 and < 1 ? rho : throw new ArgumentException($"Adadelta: expected 0 <= rho < 1. Received: {rho}.", nameof(rho));
    /// <summary>ε.</summary>
    public double Epsilon { get; } = epsilon > 0 ? epsilon : throw new ArgumentException($"Adadelta: expected epsilon > 0. Received: {epsilon}.", nameof(epsilon));

    /// <inheritdoc/>
    public override string Name => "adadelta";
    internal override int SlotCount => 2;
    internal override string[] SlotNames => ["accumulated_grad", "accumulated_delta_var"];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.AdadeltaStep(store.Params, store.Grads, slots[0], slots[1], state.Hyper, (float)Rho, (float)Epsilon);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = Rho; c["epsilon"] = Epsilon;
        return c;
    }
}
