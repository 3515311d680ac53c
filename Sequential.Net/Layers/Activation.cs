using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Applies an activation function: <c>new Activation("relu")</c>.</summary>
public sealed class Activation(ActivationFunction activation, int[]? inputShape = null, string? name = null) : Layer(name, inputShape)
{
    /// <summary>The function applied.</summary>
    public ActivationFunction Function { get; } = activation ?? throw new ArgumentNullException(nameof(activation));

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x) => Function.Apply(ctx.Graph, x);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["activation"] = Saving.ConfigValues.Activation(Function);
        return config;
    }
}

/// <summary>
/// x if x &gt; 0 else negativeSlope·x. The default slope here is 0.01 (PyTorch's and the common
/// textbook value) where Keras uses 0.3; pass 0.3 for Keras parity.
/// </summary>
public sealed class LeakyReLU : Layer
{
    /// <summary>Creates the layer; <paramref name="negativeSlope"/> must be ≥ 0.</summary>
    public LeakyReLU(float negativeSlope = 0.01f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(negativeSlope >= 0) || float.IsInfinity(negativeSlope))
            throw new ArgumentException($"LeakyReLU: expected negativeSlope >= 0. Received: {negativeSlope}.", nameof(negativeSlope));
        NegativeSlope = negativeSlope;
    }

    /// <summary>Slope for x &lt; 0.</summary>
    public float NegativeSlope { get; }
    /// <inheritdoc/>
    protected override string DefaultName => "leaky_re_lu";
    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;
    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.Unary(new Backends.LeakyRelu(NegativeSlope), x);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["negative_slope"] = NegativeSlope;
        return config;
    }
}
