using SequentialNet.Backends;
using SequentialNet.Graph;

namespace SequentialNet.Optimizers;

/// <summary>
/// Nadam (Adam with Nesterov momentum, Dozat 2015) with Keras 3's formula and defaults. With t the step
/// (iterations + 1), uₜ = β₁(1 − ½·0.96ᵗ), uₜ₊₁ = β₁(1 − ½·0.96ᵗ⁺¹) and the running product
/// Πₜ = u₁·…·uₜ (Keras's <c>u_product</c>, kept on the device and saved with the optimizer state):
/// m += (g − m)(1 − β₁); v += (g² − v)(1 − β₂); m̂ = uₜ₊₁·m/(1 − Πₜ·uₜ₊₁) + (1 − uₜ)·g/(1 − Πₜ);
/// v̂ = v/(1 − β₂ᵗ); w −= lr·m̂/(√v̂ + ε). PyTorch's NAdam uses the same momentum decay but ε = 1e-8.
/// </summary>
/// <param name="learningRate">lr, default 0.001.</param>
/// <param name="beta1">β₁, default 0.9.</param>
/// <param name="beta2">β₂, default 0.999.</param>
/// <param name="epsilon">ε, default 1e-7.</param>
/// <param name="weightDecay">Decoupled weight decay; null: none.</param>
/// <param name="clipNorm">Per-variable gradient norm bound; null: off.</param>
/// <param name="clipValue">Elementwise gradient bound; null: off.</param>
/// <param name="globalClipNorm">Bound on the norm of all gradients together; null: off.</param>
public sealed class Nadam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
    double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
    : Optimizer(learningRate, weightDecay, clipNorm, clipValue, globalClipNorm)
{
    /// <summary>
    /// The same optimizer with a learning-rate schedule (evaluated on the device before every step, at the
    /// iterations done) instead of a fixed rate; the other arguments are those of the primary constructor.
    /// </summary>
    public Nadam(LearningRateSchedule learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7,
        double? weightDecay = null, double? clipNorm = null, double? clipValue = null, double? globalClipNorm = null)
        : this(1e-3, beta1, beta2, epsilon, weightDecay, clipNorm, clipValue, globalClipNorm)
        => UseSchedule(learningRate);

    /// <summary>β₁, decay of the first moment.</summary>
    public double Beta1 { get; } = beta1 is >= 0 and < 1 ? beta1 : throw new ArgumentException($"Nadam: expected 0 <= beta1 < 1. Received: {beta1}.", nameof(beta1));
    /// <summary>β₂, decay of the second moment.</summary>
    public double Beta2 { get; } = beta2 is >= 0 and < 1 ? beta2 : throw new ArgumentException($"Nadam: expected 0 <= beta2 < 1. Received: {beta2}.", nameof(beta2));
    /// <summary>ε, added to √v̂.</summary>
    public double Epsilon { get; } = epsilon > 0 ? epsilon : throw new ArgumentException($"Nadam: expected epsilon > 0. Received: {epsilon}.", nameof(epsilon));

    /// <inheritdoc/>
    public override string Name => "nadam";
    internal override int SlotCount => 2;
    internal override string[] SlotNames => ["momentum", "velocity"];
    internal override (string Name, int Slot)[] DeviceScalars => [("u_product", StateSlots.NadamUProduct)];

    private protected override void Update(IBackend backend, ParameterStore store, DeviceBuffer[] slots, ModelState state)
        => backend.NadamStep(store.Params, store.Grads, slots[0], slots[1], state.Hyper, state.Counters, (float)Beta1, (float)Beta2, (float)Epsilon);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1; c["beta_2"] = Beta2; c["epsilon"] = Epsilon;
        return c;
    }
}
