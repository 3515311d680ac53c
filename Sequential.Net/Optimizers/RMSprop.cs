using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// RMSprop with Keras 3's formula (<c>rmsprop.py</c>) and defaults: v = ρ·v + (1−ρ)·g²; centered:
/// a = ρ·a + (1−ρ)·g and d = v − a² + ε, else d = v + ε; increment = lr·g/√d; with momentum μ:
/// m = μ·m + increment, w −= m; else w −= increment. Keras's default optimizer of <c>compile</c>.
/// PyTorch differs: alpha=0.99, eps=1e-8 added to √v (not inside the root), lr 0.01.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="rho">ρ in [0, 1), default 0.9.</param>
/// <param name="momentum">μ in [0, 1], default 0.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="centered">Normalize by the estimated variance instead of the second moment, default false.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class RMSprop(double learningRate = 1e-3, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>
    /// The same optimizer with a learning-rate schedule (evaluated on the device before every step, at the
    /// iterations done) instead of a fixed rate; the other arguments are those of the primary constructor.
    /// </summary>
    public RMSprop(LearningRateSchedule learningRate, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7, bool centered = false,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, rho, momentum, epsilon, centered, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>ρ, decay of the moving averages.</summary>
    public double Rho { get; } = rho is >= 0 and < 1 ? rho : throw new ArgumentException($"RMSprop: expected 0 <= rho < 1. Received: {rho}.", nameof(rho));
    /// <summary>μ, momentum of the increments (0: none).</summary>
    public double Momentum { get; } = momentum is >= 0 and <= 1 ? momentum : throw new ArgumentException($"RMSprop: expected 0 <= momentum <= 1. Received: {momentum}.", nameof(momentum));
    /// <summary>ε, added under the square root.</summary>
    public double Epsilon { get; } = epsilon > 0 ? epsilon : throw new ArgumentException($"RMSprop: expected epsilon > 0. Received: {epsilon}.", nameof(epsilon));
    /// <summary>Whether the moving average of the gradient is subtracted (centered RMSprop).</summary>
    public bool Centered { get; } = centered;

    /// <inheritdoc/>
    public override string Name => "rmsprop";
    internal override int SlotCount => 1 + (Momentum > 0 ? 1 : 0) + (Centered ? 1 : 0);
    internal override string[] SlotNames => [
        "velocity", .. Momentum > 0 ? new[] { "momentum" } : [], .. Centered ? new[] { "average_gradient" } : []];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
    {
        // Unused state arguments get the velocity buffer; the kernel does not touch them.
        var momentum = Momentum > 0 ? slots[1] : slots[0];
        var average = Centered ? slots[^1] : slots[0];
        backend.RmspropStep(store.Params, store.Grads, slots[0], momentum, average, state.Hyper, (float)Rho, (float)Momentum, (float)Epsilon, Centered);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = Rho; c["momentum"] = Momentum; c["epsilon"] = Epsilon; c["centered"] = Centered;
        return c;
    }
}
