using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Rectified linear unit as a layer (Keras <c>ReLU(max_value, negative_slope, threshold)</c>):
/// f(x) = min(x, maxValue) for x &gt; 0 and negativeSlope·x below, i.e. Keras's formula with threshold 0.
/// </summary>
/// <remarks>
/// Built from the relu, leaky-relu, relu6 and scale ops, so every backend runs it: maxValue m ≠ 6 uses
/// min(max(x, 0), m) = (m/6)·relu6(6x/m), exact up to fp32 rounding of the two scalings. A threshold other
/// than 0 is refused at construction (it needs a comparison op the backends do not have yet).
/// </remarks>
public sealed class ReLU : Layer
{
    /// <summary>Creates the layer; every argument must be ≥ 0, and threshold 0.</summary>
    public ReLU(float? maxValue = null, float negativeSlope = 0f, float threshold = 0f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (maxValue is { } m && !(m >= 0 && float.IsFinite(m)))
            throw new ArgumentException($"ReLU: expected maxValue >= 0 (or null). Received: maxValue={m}.", nameof(maxValue));
        if (!(negativeSlope >= 0) || float.IsInfinity(negativeSlope))
            throw new ArgumentException($"ReLU: expected negativeSlope >= 0. Received: negativeSlope={negativeSlope}.", nameof(negativeSlope));
        if (threshold != 0f)
            throw new NotSupportedException($"ReLU: expected threshold 0 (other thresholds are not supported yet). Received: threshold={threshold}.");
        (MaxValue, NegativeSlope, Threshold) = (maxValue, negativeSlope, threshold);
    }

    /// <summary>Upper bound of the output; null: none.</summary>
    public float? MaxValue { get; }
    /// <summary>Slope for x &lt; 0.</summary>
    public float NegativeSlope { get; }
    /// <summary>Where the positive part starts (0).</summary>
    public float Threshold { get; }

    /// <inheritdoc/>
    protected override string DefaultName => "re_lu";

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        if (MaxValue == null)
            return NegativeSlope == 0f ? g.Unary(new Backends.Relu(), x) : g.Unary(new Backends.LeakyRelu(NegativeSlope), x);
        float m = MaxValue.Value;
        Node positive = m == 6f ? g.Unary(new Backends.Relu6(), x)
            : m == 0f ? g.Scale(g.Unary(new Backends.Relu(), x), 0f)
            : g.Scale(g.Unary(new Backends.Relu6(), g.Scale(x, 6f / m)), m / 6f);
        if (NegativeSlope == 0f) return positive;
        Node negative = g.Scale(g.Unary(new Backends.Relu(), g.Unary(new Backends.Negate(), x)), NegativeSlope);   // slope·max(−x, 0)
        return g.Binary(new Backends.Sub(), positive, negative);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["max_value"] = MaxValue;
        config["negative_slope"] = NegativeSlope;
        config["threshold"] = Threshold;
        return config;
    }
}
