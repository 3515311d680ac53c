
namespace SequentialNet;

/// <summary>The built-in activation functions, by Keras name.</summary>
public static class Activations
{
    /// <summary>max(0, x).</summary>
    public static ActivationFunction Relu { get; } = new("relu", (g, x) => g.Unary(new Backends.Relu(), x),
        dense: (g, x, w, b) => g.Dense(new Backends.Relu(), x, w, b));
    /// <summary>x if x &gt; 0 else 0.01·x (PyTorch's and this library's default slope; see <see cref="LeakyRelu(float)"/>).</summary>
    public static ActivationFunction LeakyReluDefault { get; } = LeakyRelu(0.01f);
    /// <summary>1/(1+e^−x).</summary>
    public static ActivationFunction Sigmoid { get; } = new("sigmoid", (g, x) => g.Unary(new Backends.Sigmoid(), x));
    /// <summary>tanh(x).</summary>
    public static ActivationFunction Tanh { get; } = new("tanh", (g, x) => g.Unary(new Backends.Tanh(), x));
    /// <summary>Softmax over the last axis.</summary>
    public static ActivationFunction Softmax { get; } = new("softmax", (g, x) => g.Softmax(x));
    /// <summary>x − log Σ e^x over the last axis (Keras <c>log_softmax</c>), computed stably from the row maximum.</summary>
    public static ActivationFunction LogSoftmax { get; } = new("log_softmax", (g, x) => g.LogSoftmax(x));
    /// <summary>Identity.</summary>
    public static ActivationFunction Linear { get; } = new("linear", (g, x) => x,
        dense: (g, x, w, b) => g.Dense(new Backends.Identity(), x, w, b));
    /// <summary>x if x &gt; 0 else e^x − 1.</summary>
    public static ActivationFunction Elu { get; } = new("elu", (g, x) => g.Unary(new Backends.Elu(1f), x));
    /// <summary>x·sigmoid(x) (also called silu).</summary>
    public static ActivationFunction Swish { get; } = new("swish", (g, x) => g.Unary(new Backends.Swish(), x));
    /// <summary>0.5·x·(1 + erf(x/√2)) (Keras's default, exact form).</summary>
    public static ActivationFunction Gelu { get; } = new("gelu", (g, x) => g.Unary(new Backends.Gelu(), x));

    /// <summary>GELU's tanh approximation (Keras <c>gelu(x, approximate=True)</c>).</summary>
    public static ActivationFunction GeluApproximate { get; } = new("gelu", (g, x) => g.Unary(new Backends.GeluTanh(), x),
        new Dictionary<string, object?> { ["approximate"] = true });
    /// <summary>GELU, exact (<paramref name="approximate"/> false, Keras's default) or its tanh approximation.</summary>
    public static ActivationFunction GeluWith(bool approximate) => approximate ? GeluApproximate : Gelu;
    /// <summary>s·x for x &gt; 0, else s·a·(e^x − 1) (Keras's SELU constants).</summary>
    public static ActivationFunction Selu { get; } = new("selu", (g, x) => g.Unary(new Backends.Selu(), x));
    /// <summary>log(1 + e^x).</summary>
    public static ActivationFunction Softplus { get; } = new("softplus", (g, x) => g.Unary(new Backends.Softplus(), x));
    /// <summary>x / (1 + |x|).</summary>
    public static ActivationFunction Softsign { get; } = new("softsign", (g, x) => g.Unary(new Backends.Softsign(), x));
    /// <summary>min(max(x, 0), 6).</summary>
    public static ActivationFunction Relu6 { get; } = new("relu6", (g, x) => g.Unary(new Backends.Relu6(), x));
    /// <summary>relu6(x + 3) / 6 (Keras 3's definition).</summary>
    public static ActivationFunction HardSigmoid { get; } = new("hard_sigmoid", (g, x) => g.Unary(new Backends.HardSigmoid(), x));
    /// <summary>x·relu6(x + 3) / 6 (also called hard_swish).</summary>
    public static ActivationFunction HardSilu { get; } = new("hard_silu", (g, x) => g.Unary(new Backends.HardSilu(), x));
    /// <summary>e^x.</summary>
    public static ActivationFunction Exponential { get; } = new("exponential", (g, x) => g.Unary(new Backends.Exp(), x));
    /// <summary>x·tanh(softplus(x)).</summary>
    public static ActivationFunction Mish { get; } = new("mish", (g, x) => g.Unary(new Backends.Mish(), x));

    /// <summary>Leaky ReLU with the given negative slope.</summary>
    public static ActivationFunction LeakyRelu(float negativeSlope)
        => new("leaky_relu", (g, x) => g.Unary(new Backends.LeakyRelu(negativeSlope), x),
            new Dictionary<string, object?> { ["negative_slope"] = negativeSlope },
            // Fusable when the sign of the output is the sign of the input (slope ≥ 0).
            dense: negativeSlope >= 0f ? (g, x, w, b) => g.Dense(new Backends.LeakyRelu(negativeSlope), x, w, b) : null);

    private static readonly Dictionary<string, ActivationFunction> ByName = new(StringComparer.Ordinal)
    {
        ["relu"] = Relu, ["leaky_relu"] = LeakyReluDefault, ["sigmoid"] = Sigmoid, ["tanh"] = Tanh,
        ["softmax"] = Softmax, ["linear"] = Linear, ["elu"] = Elu, ["swish"] = Swish, ["silu"] = Swish, ["gelu"] = Gelu,
        ["selu"] = Selu, ["softplus"] = Softplus, ["softsign"] = Softsign, ["relu6"] = Relu6, ["hard_sigmoid"] = HardSigmoid,
        ["hard_silu"] = HardSilu, ["hard_swish"] = HardSilu, ["exponential"] = Exponential, ["mish"] = Mish,
        ["log_softmax"] = LogSoftmax,
    };

    /// <summary>Known names.</summary>
    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The activation called <paramref name="name"/>; null or "" or "linear" is the identity.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static ActivationFunction Get(string? name) => string.IsNullOrEmpty(name) ? Linear : Table.Get(name);

    private static NameTable<ActivationFunction>? s_table;

    // Names in any letter case ("ReLU", "LeakyReLU", "GELU"), as Keras's activations.get accepts them.
    private static NameTable<ActivationFunction> Table
        => s_table ??= NameTable<ActivationFunction>.From("activation", ByName.Select(p => KeyValuePair.Create(p.Key, (Func<ActivationFunction>)(() => p.Value))), withClassNames: false);
}
