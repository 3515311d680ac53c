using SequentialNet.Graph;

namespace SequentialNet.Regularizers;

/// <summary>
/// A weight regularizer (Keras <c>keras.regularizers</c>): a penalty computed from a weight and added to the
/// training loss, so its gradient joins the weight's. Pass one as <c>kernelRegularizer</c> or
/// <c>biasRegularizer</c> of <see cref="Layers.Dense"/>, or by name: "l1", "l2", "l1_l2" (Keras defaults).
/// </summary>
public abstract class Regularizer
{
    /// <summary>Keras class name, e.g. "L2".</summary>
    public abstract string Name { get; }

    /// <summary>Keras's configuration (for saving), e.g. <c>{"l2": 0.01}</c>.</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>The penalty of <paramref name="weights"/> computed on the host, in float64.</summary>
    public abstract double Penalty(ReadOnlySpan<float> weights);

    /// <summary>Emits the penalty of <paramref name="weight"/> as a scalar node.</summary>
    internal abstract Node Emit(GraphBuilder g, Node weight);

    /// <summary>
    /// The regularizer called <paramref name="name"/>, with Keras's defaults: "l1" (l1=0.01), "l2"
    /// (l2=0.01), "l1_l2" (l1=0.01, l2=0.01, as <c>keras.regularizers.get("l1_l2")</c>).
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Regularizer Get(string name) => Names.Get(name);

    private static NameTable<Regularizer>? s_names;

    private static NameTable<Regularizer> Names => s_names ??= NameTable<Regularizer>.From("regularizer",
        [new("l1", () => new L1()), new("l2", () => new L2()), new("l1_l2", () => new L1L2(0.01, 0.01))]);

    /// <summary>The regularizer called <paramref name="name"/> (see <see cref="Get"/>).</summary>
    public static implicit operator Regularizer(string name) => Get(name);

    /// <summary>factor·Σw².</summary>
    private protected static Node SumOfSquares(GraphBuilder g, Node w, double factor)
        => g.Scale(g.Add(new Graph.Ops.SumAllOp(mean: false), [g.Unary(new Backends.Square(), w)], [], batched: false), (float)factor);

    /// <summary>factor·Σ|w|.</summary>
    private protected static Node SumOfAbs(GraphBuilder g, Node w, double factor)
        => g.Scale(g.Add(new Graph.Ops.SumAllOp(mean: false), [g.Unary(new Backends.Abs(), w)], [], batched: false), (float)factor);

    /// <summary>Throws unless <paramref name="value"/> is a finite factor ≥ 0.</summary>
    private protected static double Factor(string who, string argument, double value)
        => double.IsFinite(value) && value >= 0 ? value
            : throw new ArgumentException($"{who}: expected {argument} to be a finite number >= 0. Received: {argument}={value}.", argument);
}

/// <summary>L1 penalty: l1·Σ|w| (Keras <c>L1</c>, default l1=0.01).</summary>
public sealed class L1(double l1 = 0.01) : Regularizer
{
    /// <summary>The factor.</summary>
    public double L1Factor { get; } = Factor("L1", nameof(l1), l1);
    /// <inheritdoc/>
    public override string Name => "L1";
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l1"] = L1Factor };
    /// <inheritdoc/>
    public override double Penalty(ReadOnlySpan<float> weights) { double s = 0; foreach (float w in weights) s += Math.Abs(w); return L1Factor * s; }
    internal override Node Emit(GraphBuilder g, Node weight) => SumOfAbs(g, weight, L1Factor);
}

/// <summary>L2 penalty: l2·Σw² (Keras <c>L2</c>, default l2=0.01; no ½).</summary>
public sealed class L2(double l2 = 0.01) : Regularizer
{
    /// <summary>The factor.</summary>
    public double L2Factor { get; } = Factor("L2", nameof(l2), l2);
    /// <inheritdoc/>
    public override string Name => "L2";
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l2"] = L2Factor };
    /// <inheritdoc/>
    public override double Penalty(ReadOnlySpan<float> weights) { double s = 0; foreach (float w in weights) s += (double)w * w; return L2Factor * s; }
    internal override Node Emit(GraphBuilder g, Node weight) => SumOfSquares(g, weight, L2Factor);
}

/// <summary>l1·Σ|w| + l2·Σw² (Keras <c>L1L2</c>, defaults 0 and 0).</summary>
public sealed class L1L2(double l1 = 0.0, double l2 = 0.0) : Regularizer
{
    /// <summary>The L1 factor.</summary>
    public double L1Factor { get; } = Factor("L1L2", nameof(l1), l1);
    /// <summary>The L2 factor.</summary>
    public double L2Factor { get; } = Factor("L1L2", nameof(l2), l2);
    /// <inheritdoc/>
    public override string Name => "L1L2";
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l1"] = L1Factor, ["l2"] = L2Factor };
    /// <inheritdoc/>
    public override double Penalty(ReadOnlySpan<float> weights) => new L1(L1Factor).Penalty(weights) + new L2(L2Factor).Penalty(weights);
    internal override Node Emit(GraphBuilder g, Node weight)
    {
        if (L1Factor == 0) return SumOfSquares(g, weight, L2Factor);
        if (L2Factor == 0) return SumOfAbs(g, weight, L1Factor);
        return g.AddN(SumOfAbs(g, weight, L1Factor), SumOfSquares(g, weight, L2Factor));
    }
}
