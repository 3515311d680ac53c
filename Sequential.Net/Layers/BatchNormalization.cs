using SequentialNet.Graph;
using SequentialNet.Initializers;

namespace SequentialNet.Layers;

/// <summary>
/// Keras <c>BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True)</c>:
/// y = gamma·(x − mean)/√(variance + epsilon) + beta per feature of the last axis. In training, mean and
/// variance are the batch's (biased, over every non-feature axis) and each step moves the non-trainable
/// "moving_mean" and "moving_variance" to moving·momentum + batch·(1 − momentum), on the device. In
/// Evaluate and Predict, and whenever the layer is frozen (<c>Trainable = false</c>, as in Keras), it
/// normalizes with the moving statistics (the statistics are then constants: the gradient wrt x is
/// gamma/√(moving_variance + epsilon)·dy, and a frozen layer updates nothing).
/// Training runs fused ops: one batch-statistics pass (mean and variance per feature, deterministic), one
/// normalize pass, and in the backward one pass for Σdy and Σdy·x̂ (dbeta, dgamma) and one for dx, whose
/// rule runs through the batch statistics: dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)).
/// </summary>
public sealed class BatchNormalization : Layer
{
    /// <summary>Creates the layer; 0 ≤ momentum &lt; 1, epsilon &gt; 0, and only axis −1 is supported.</summary>
    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (axis != -1)
            throw new ArgumentException($"BatchNormalization: only the last axis is supported as the feature axis. Expected axis=-1. Received: axis={axis}.", nameof(axis));
        if (!(momentum >= 0 && momentum < 1))
            throw new ArgumentException($"BatchNormalization: expected 0 <= momentum < 1. Received: momentum={momentum}.", nameof(momentum));
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw new ArgumentException($"BatchNormalization: expected a finite epsilon > 0. Received: epsilon={epsilon}.", nameof(epsilon));
        Axis = axis; Momentum = momentum; Epsilon = epsilon; Center = center; Scale = scale;
    }

    /// <summary>The feature axis; always −1.</summary>
    public int Axis { get; }
    /// <summary>Weight of the old moving statistics in each update.</summary>
    public double Momentum { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }
    /// <summary>Whether the learned offset "beta" exists.</summary>
    public bool Center { get; }
    /// <summary>Whether the learned factor "gamma" exists.</summary>
    public bool Scale { get; }

    /// <summary>Per-feature factor, shape (features,); null before Build or when not <see cref="Scale"/>.</summary>
    public Variable? Gamma { get; private set; }
    /// <summary>Per-feature offset, shape (features,); null before Build or when not <see cref="Center"/>.</summary>
    public Variable? Beta { get; private set; }
    /// <summary>Moving mean used in inference; null before Build.</summary>
    public Variable? MovingMean { get; private set; }
    /// <summary>Moving (biased) variance used in inference; null before Build.</summary>
    public Variable? MovingVariance { get; private set; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        RequireFeatures(inputShape);
        return inputShape;
    }

    /// <inheritdoc/>
    protected override void BuildCore(int[] inputShape)
    {
        RequireFeatures(inputShape);
        int features = inputShape[^1];
        if (Scale) Gamma = AddWeight("gamma", [features], new Constant(1f));
        if (Center) Beta = AddWeight("beta", [features], new Zeros());
        MovingMean = AddWeight("moving_mean", [features], new Zeros(), trainable: false);
        MovingVariance = AddWeight("moving_variance", [features], new Constant(1f), trainable: false);
    }

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        Node? gamma = Gamma == null ? null : ctx.Param(Gamma), beta = Beta == null ? null : ctx.Param(Beta);
        if (ctx.Training && Trainable)
        {
            // x: (rows, features); mean and variance: (features,), rows of one fused statistics op.
            var (y, mean, variance) = g.BatchNormTrain(x, gamma, beta, (float)Epsilon);
            g.Assign(MovingMean!, MovingAverage(g, ctx.Param(MovingMean!), mean));
            g.Assign(MovingVariance!, MovingAverage(g, ctx.Param(MovingVariance!), variance));
            return y;
        }
        return g.BatchNorm(x, ctx.Param(MovingMean!), ctx.Param(MovingVariance!), gamma, beta, (float)Epsilon);
    }

    private Node MovingAverage(GraphBuilder g, Node moving, Node batch)
        => g.Binary(new Backends.Add(), g.Scale(moving, (float)Momentum), g.Scale(batch, (float)(1 - Momentum)));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["axis"] = Axis;
        config["momentum"] = Momentum;
        config["epsilon"] = Epsilon;
        config["center"] = Center;
        config["scale"] = Scale;
        return config;
    }

    private void RequireFeatures(int[] inputShape)
    {
        if (inputShape.Length == 0 || inputShape[^1] <= 0)
            throw new ArgumentException($"Layer \"{Name}\" (BatchNormalization): expected an input with a feature axis (last axis). Received: input shape {Tensor.FormatShape(inputShape)}.");
    }
}
