using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Adam with Keras 3's formula and defaults: α = lr·√(1−β₂ᵗ)/(1−β₁ᵗ); m += (g−m)(1−β₁);
/// v += (g²−v)(1−β₂); w −= α·m/(√v + ε), ε = 1e-7 added to the uncorrected √v ("epsilon hat"; PyTorch
/// instead adds 1e-8 to the corrected √v̂). <paramref name="weightDecay"/> is decoupled as in every Keras
/// optimizer (w ← w − w·wd·lr before the update); PyTorch's Adam adds wd·w to the gradient instead.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="beta1">β₁, default 0.9.</param>
/// <param name="beta2">β₂, default 0.999.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
/// <param name="amsgrad">Keras <c>amsgrad</c>: keep v̂ = max(v̂, v) (a third slot, "velocity_hat") and divide by √v̂ instead of √v.</param>
public class Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null, bool amsgrad = false)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>
    /// The same optimizer with a learning-rate schedule (evaluated on the device before every step, at the
    /// iterations done) instead of a fixed rate; the other arguments are those of the primary constructor.
    /// </summary>
    public Adam(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null, bool amsgrad = false)
        : this(1e-3, beta1, beta2, epsilon, weightDecay, clipNorm, clipValue, globalClipNorm, amsgrad)
        => UseSchedule(learningRate);

    /// <summary>β₁, decay of the first moment.</summary>
    public double Beta1 { get; } = beta1 is >= 0 and < 1 ? beta1 : throw new ArgumentException($"Adam: expected 0 <= beta1 < 1. Received: {beta1}.", nameof(beta1));
    /// <summary>β₂, decay of the second moment.</summary>
    public double Beta2 { get; } = beta2 is >= 0 and < 1 ? beta2 : throw new ArgumentException($"Adam: expected 0 <= beta2 < 1. Received: {beta2}.", nameof(beta2));
    /// <summary>ε, added to √v.</summary>
    public double Epsilon { get; } = epsilon > 0 ? epsilon : throw new ArgumentException($"Adam: expected epsilon > 0. Received: {epsilon}.", nameof(epsilon));

    /// <summary>Whether the AMSGrad variant is used: the running maximum of v in the denominator.</summary>
    public bool Amsgrad { get; } = amsgrad;

    /// <inheritdoc/>
    public override string Name => "adam";
    internal override int SlotCount => Amsgrad ? 3 : 2;
    internal override string[] SlotNames => Amsgrad ? ["momentum", "velocity", "velocity_hat"] : ["momentum", "velocity"];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
    {
        if (Amsgrad)
            backend.AdamAmsgradStep(store.Params, store.Grads, slots[0], slots[1], slots[2], state.Hyper, state.Counters, (float)Beta1, (float)Beta2, (float)Epsilon);
        else
            backend.AdamStep(store.Params, store.Grads, slots[0], slots[1], state.Hyper, state.Counters, (float)Beta1, (float)Beta2, (float)Epsilon);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2; c["epsilon"] = Epsilon; c["amsgrad"] = Amsgrad;
        return c;
    }
}
