using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>
/// Rectified linear unit as a layer (Keras <c>ReLU(max_value, negative_slope, threshold)</c>), Keras 3's
/// <c>activations.relu</c>: with threshold t, f(x) = clip(x·[x &gt; t], 0, maxValue) − negativeSlope·max(t − x, 0)
/// (no clip without maxValue, so a negative t passes x in (t, 0) through, as Keras does); with t = 0,
/// f(x) = min(x, maxValue) for x &gt; 0 and negativeSlope·x below.
/// </summary>
/// <remarks>
/// Built from the relu, leaky-relu, relu6, thresholded, relu-below and scale ops, so every backend runs it:
/// maxValue m ≠ 6 uses min(max(x, 0), m) = (m/6)·relu6(6x/m), exact up to fp32 rounding of the two scalings.
/// </remarks>
public sealed class ReLU : Layer
{
    /// <summary>Creates the layer; maxValue and negativeSlope must be ≥ 0, threshold finite (Keras's checks).</summary>
    public ReLU(float? maxValue = null, float negativeSlope = 0f, float threshold = 0f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (maxValue is { } m && !(m >= 0 && float.IsFinite(m)))
            throw new ArgumentException($"ReLU: expected maxValue >= 0 (or null). Received: maxValue={m}.", nameof(maxValue));
        if (!(negativeSlope >= 0) || float.IsInfinity(negativeSlope))
            throw new ArgumentException($"ReLU: expected negativeSlope >= 0. Received: negativeSlope={negativeSlope}.", nameof(negativeSlope));
        if (!float.IsFinite(threshold))
            throw new ArgumentException($"ReLU: expected a finite threshold. Received: threshold={threshold}.", nameof(threshold));
        (MaxValue, NegativeSlope, Threshold) = (maxValue, negativeSlope, threshold);
    }

    /// <summary>Upper bound of the output; null: none.</summary>
    public float? MaxValue { get; }
    /// <summary>Slope for x &lt; 0.</summary>
    public float NegativeSlope { get; }
    /// <summary>Where the positive part starts: x is kept above it (0 by default).</summary>
    public float Threshold { get; }

    /// <inheritdoc/>
    protected override string DefaultName => "re_lu";

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x)
    {
        var g = ctx.Graph;
        if (Threshold != 0f) return WithThreshold(g, x);
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

    // Keras 3: x·[x > t], clipped to [0, max_value] when there is one, minus negative_slope·relu(t − x).
    private Node WithThreshold(GraphBuilder g, Node x)
    {
        Node positive = g.Unary(new Backends.Thresholded(Threshold), x);
        if (MaxValue is float m)
            positive = m == 6f ? g.Unary(new Backends.Relu6(), positive)
                : m == 0f ? g.Scale(g.Unary(new Backends.Relu(), positive), 0f)
                : g.Scale(g.Unary(new Backends.Relu6(), g.Scale(positive, 6f / m)), m / 6f);
        if (NegativeSlope == 0f) return positive;
        return g.Binary(new Backends.Sub(), positive, g.Scale(g.Unary(new Backends.ReluBelow(Threshold), x), NegativeSlope));
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
