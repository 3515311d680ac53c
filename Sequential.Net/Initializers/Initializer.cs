namespace SequentialNet.Initializers;

/// <summary>
/// Fills a new variable. Keras names work wherever an initializer is expected
/// (<c>kernelInitializer: "he_normal"</c>); unknown names fail at once with the known ones listed.
/// </summary>
public abstract class Initializer
{
    /// <summary>Keras name, e.g. "glorot_uniform".</summary>
    public abstract string Name { get; }

    /// <summary>Values for a variable of <paramref name="shape"/>, row-major.</summary>
    public abstract float[] Generate(int[] shape, RandomSource random);

    /// <summary>Keras's configuration of this initializer (for saving).</summary>
    public virtual Dictionary<string, object?> GetConfig() => [];

    /// <summary>(fan_in, fan_out) as Keras computes them: the last two axes times the receptive field.</summary>
    protected static (double FanIn, double FanOut) Fans(int[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }

    /// <summary>Number of elements of <paramref name="shape"/>.</summary>
    protected static int Count(int[] shape) => ShapeSize.Of(shape, "Initializer", "elements");

    /// <summary>The initializer called <paramref name="name"/>.</summary>
    public static implicit operator Initializer(string name) => Get(name);

    private static readonly Dictionary<string, Func<Initializer>> ByName = new(StringComparer.Ordinal)
    {
        ["glorot_uniform"] = () => new GlorotUniform(), ["glorot_normal"] = () => new GlorotNormal(),
        ["he_uniform"] = () => new HeUniform(), ["he_normal"] = () => new HeNormal(),
        ["lecun_normal"] = () => new LecunNormal(), ["lecun_uniform"] = () => new LecunUniform(),
        ["zeros"] = () => new Zeros(), ["ones"] = () => new Ones(), ["constant"] = () => new Constant(),
        ["random_normal"] = () => new RandomNormal(), ["random_uniform"] = () => new RandomUniform(),
        ["normal"] = () => new RandomNormal(), ["uniform"] = () => new RandomUniform(),   // Keras's short aliases
        ["zero"] = () => new Zeros(), ["one"] = () => new Ones(),
        ["truncated_normal"] = () => new TruncatedNormal(), ["orthogonal"] = () => new Orthogonal(),
        ["variance_scaling"] = () => new VarianceScaling(), ["identity"] = () => new Identity(),
    };

    /// <summary>The initializer called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static Initializer Get(string name) => Names.Get(name);

    private static NameTable<Initializer>? s_names;

    /// <summary>Every name of every built-in initializer (any letter case; class names too).</summary>
    internal static NameTable<Initializer> Names => s_names ??= NameTable<Initializer>.From("initializer", ByName);
}
