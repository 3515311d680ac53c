using SequentialNet.Graph;

namespace SequentialNet.Layers;

/// <summary>Exponential linear unit as a layer (Keras <c>ELU(alpha=1.0)</c>): x for x &gt; 0, else alpha·(e^x − 1).</summary>
public sealed class ELU : Layer
{
    /// <summary>Creates the layer.</summary>
    public ELU(float alpha = 1f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!float.IsFinite(alpha)) throw new ArgumentException($"ELU: expected a finite alpha. Received: alpha={alpha}.", nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>Scale of the negative part.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    protected override string DefaultName => "elu";

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

    internal override Node Call(LayerContext ctx, Node x) => ctx.Graph.Unary(new Backends.Elu(Alpha), x);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var config = base.GetConfig();
        config["alpha"] = Alpha;
        return config;
    }
}
